/**
 * The demo team's raw material: people, companies, job titles and the kind of subjects each department writes.
 * Kept apart from the generator (demo.ts) so the data can be read and edited without touching logic. All names
 * and domains are invented; `.com` domains are used because that is what real customer data looks like.
 */
import type { Department, InteractionKind } from '../../shared/wire-types.ts';

export const DEMO_TEAM_NAME = 'Northwind Demo';
export const DEMO_DOMAIN = 'northwind-demo.com';

export interface DemoMember {
  key: 'dana' | 'sam' | 'priya' | 'tom' | 'ana' | 'lee' | 'ben';
  name: string;
  email: string;
  department: Department;
  role: 'admin' | 'member';
}

/** Dana comes first: she is the admin whose token the seed returns. */
export const DEMO_MEMBERS: DemoMember[] = [
  { key: 'dana', name: 'Dana Reyes', email: 'dana@northwind-demo.com', department: 'sales', role: 'admin' },
  { key: 'sam', name: 'Sam Lee', email: 'sam@northwind-demo.com', department: 'sales', role: 'member' },
  { key: 'priya', name: 'Priya Natarajan', email: 'priya@northwind-demo.com', department: 'marketing', role: 'member' },
  { key: 'tom', name: 'Tom Becker', email: 'tom@northwind-demo.com', department: 'support', role: 'member' },
  { key: 'ana', name: 'Ana Costa', email: 'ana@northwind-demo.com', department: 'it', role: 'member' },
  { key: 'lee', name: 'Lee Morgan', email: 'lee@northwind-demo.com', department: 'leadership', role: 'member' },
  // Issue 14: a second IT colleague, for the implementation meetings the insights show being skipped.
  { key: 'ben', name: 'Ben Okafor', email: 'ben@northwind-demo.com', department: 'it', role: 'member' },
];

export interface DemoCompany {
  name: string;
  domain: string;
  /** A second domain some of its people still write from (an acquisition, a regional office). */
  altDomain?: string;
}

/** Acme Corp is first and fixed: the end-to-end tests rely on Jane Doe and Raj Patel there. */
export const DEMO_COMPANIES: DemoCompany[] = [
  { name: 'Acme Corp', domain: 'acme-corp.com' },
  { name: 'Initech', domain: 'initech-software.com' },
  { name: 'Umbrella Logistics', domain: 'umbrella-logistics.com' },
  { name: 'Stark Manufacturing', domain: 'stark-mfg.com' },
  { name: 'Wayne Freight', domain: 'waynefreight.com' },
  { name: 'Hooli Health', domain: 'hoolihealth.com' },
  { name: 'Pied Piper Data', domain: 'piedpiperdata.com' },
  { name: 'Vandelay Imports', domain: 'vandelay-imports.com' },
  { name: 'Soylent Foods', domain: 'soylentfoods.com' },
  { name: 'Cyberdyne Robotics', domain: 'cyberdyne-robotics.com' },
  { name: 'Tyrell Biotech', domain: 'tyrell-bio.com' },
  { name: 'Oscorp Materials', domain: 'oscorp-materials.com' },
  { name: 'Wonka Confectionery', domain: 'wonka-sweets.com' },
  { name: 'Gringotts Credit Union', domain: 'gringotts-cu.com' },
  { name: 'Bluth Properties', domain: 'bluthproperties.com' },
  { name: 'Dunder Mifflin Paper', domain: 'dundermifflin-paper.com' },
  { name: 'Prestige Worldwide', domain: 'prestige-worldwide.com' },
  { name: 'Massive Dynamic', domain: 'massivedynamic.com' },
  { name: 'Aperture Labs', domain: 'aperture-labs.com', altDomain: 'aperturescience.com' },
  { name: 'Black Mesa Energy', domain: 'blackmesa-energy.com' },
  { name: 'Virtucon Industries', domain: 'virtucon.com' },
  { name: 'Monarch Solutions', domain: 'monarch-solutions.com' },
  { name: 'Nakatomi Trading', domain: 'nakatomi-trading.com' },
  { name: 'Sterling Cooper Advertising', domain: 'sterlingcooper.com' },
  { name: 'Los Pollos Hermanos', domain: 'lospolloshermanos.com' },
  { name: 'Kruger Industrial', domain: 'kruger-industrial.com' },
  { name: 'Blue Sun Retail', domain: 'bluesun-retail.com' },
  { name: 'Rekall Travel', domain: 'rekall-travel.com' },
  { name: 'Ollivander Instruments', domain: 'ollivander-instruments.com' },
  { name: 'Duff Beverages', domain: 'duff-beverages.com' },
  { name: 'Krusty Foods', domain: 'krustyfoods.com' },
  { name: 'Globo Gym Group', domain: 'globogym-group.com' },
  { name: 'Cogswell Cogs', domain: 'cogswellcogs.com' },
  { name: 'Spacely Sprockets', domain: 'spacely-sprockets.com', altDomain: 'spacely.de' },
  { name: 'Zorg Systems', domain: 'zorg-systems.com' },
  { name: 'Ghostbusters Facilities', domain: 'gb-facilities.com' },
  { name: 'InGen Research', domain: 'ingen-research.com' },
  { name: 'Buy n Large', domain: 'buynlarge.com', altDomain: 'bnl-europe.com' },
  { name: 'Wernham Hogg', domain: 'wernhamhogg.co.uk' },
  { name: 'Yoyodyne Aerospace', domain: 'yoyodyne-aero.com' },
];

export const FIRST_NAMES = [
  'Olivia', 'Liam', 'Emma', 'Noah', 'Amelia', 'Oliver', 'Sophia', 'Elijah', 'Isabella', 'Lucas', 'Mia', 'Mateo',
  'Charlotte', 'Ethan', 'Harper', 'Aiden', 'Evelyn', 'James', 'Abigail', 'Benjamin', 'Chloe', 'Daniel', 'Grace',
  'Henry', 'Hannah', 'Samuel', 'Zoe', 'Jack', 'Nora', 'Leo', 'Aisha', 'Omar', 'Mei', 'Hiroshi', 'Fatima', 'Carlos',
  'Lucia', 'Sven', 'Ingrid', 'Pieter', 'Anouk', 'Kwame', 'Ama', 'Dmitri', 'Katya', 'Arjun', 'Ananya', 'Tomasz',
  'Zofia', 'Diego', 'Valentina', 'Yusuf', 'Leila', 'Chen', 'Wei', 'Siobhan', 'Declan', 'Marta', 'Jonas', 'Elif',
];

export const LAST_NAMES = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Garcia', 'Miller', 'Davis', 'Martinez', 'Lopez', 'Wilson', 'Anderson',
  'Thomas', 'Moore', 'Jackson', 'Martin', 'Thompson', 'White', 'Harris', 'Clark', 'Lewis', 'Walker', 'Young',
  'Nguyen', 'Kim', 'Chen', 'Tanaka', 'Sato', 'Khan', 'Ali', 'Okafor', 'Mensah', 'Ivanova', 'Kowalski', 'Nowak',
  'Jansen', 'de Vries', 'Bakker', 'Schmidt', 'Müller', 'Rossi', 'Ferrari', 'Silva', 'Santos', 'Haddad', 'Yilmaz',
  'Larsen', 'Lindqvist', "O'Brien", 'Murphy', 'Fischer', 'Dubois', 'Moreau', 'Novak', 'Horvat', 'Singh', 'Sharma',
];

export const TITLES = [
  'VP Operations', 'Head of Procurement', 'Procurement Manager', 'CFO', 'Finance Director', 'Controller',
  'IT Director', 'IT Manager', 'Systems Administrator', 'CTO', 'Head of Engineering', 'Solutions Architect',
  'COO', 'Operations Manager', 'Office Manager', 'Head of Customer Success', 'Marketing Director',
  'Product Manager', 'Data Analyst', 'Security Officer', 'Purchasing Lead', 'CEO', 'General Counsel',
  'Logistics Coordinator', 'HR Business Partner', 'Project Manager', 'Implementation Lead',
];

/** Free-mail providers some contacts write from (no company is made for them). */
export const FREE_MAIL_DOMAINS = ['gmail.com', 'outlook.com', 'yahoo.com', 'hotmail.com', 'proton.me', 'icloud.com'];

export const PRODUCTS = ['Analytics', 'Route Planner', 'Inventory Sync', 'Reporting', 'Fleet Tracker', 'Billing'];
export const EVENTS = ['SaaStr Europa', 'Logistics Summit', 'our spring webinar', 'the Berlin roadshow', 'Web Summit', 'the partner day'];
export const ISSUES = [
  'SSO login loop after IdP change', 'CSV export times out', 'invoices missing VAT number', 'webhook retries failing',
  'dashboard shows yesterday’s numbers', 'duplicate shipments in sync', 'password reset mail not arriving',
  'API rate limit errors', 'mobile app crashes on upload', 'report totals do not match',
];

export interface SubjectTemplate {
  kind: InteractionKind;
  subject: string;
  summary: string;
  outcomes: string[];
}

/**
 * What each department writes, with `{company}`, `{product}`, `{event}`, `{issue}`, `{n}`, `{q}`, `{year}`
 * filled in by the generator.
 */
export const SUBJECTS: Record<Exclude<Department, 'other'>, SubjectTemplate[]> = {
  sales: [
    { kind: 'email', subject: 'Renewal terms for {year}', summary: 'Sent the renewal draft with the multi-year option.', outcomes: ['waiting for reply', 'agreed in principle', 'asked for a discount'] },
    { kind: 'email', subject: 'Pricing for the {product} rollout', summary: 'Shared tiered pricing for 3 sites.', outcomes: ['waiting for reply', 'positive', 'needs budget approval'] },
    { kind: 'email', subject: 'Proposal: {company} × Northwind', summary: 'Proposal and timeline attached.', outcomes: ['proposal sent', 'under review'] },
    { kind: 'email', subject: 'Contract redlines', summary: 'Legal returned redlines on liability and SLA.', outcomes: ['with legal', 'agreed'] },
    { kind: 'call', subject: 'Discovery call', summary: 'Walked through their current process and pain points.', outcomes: ['demo booked', 'not a fit yet', 'follow-up in Q{q}'] },
    { kind: 'call', subject: 'Check-in before renewal', summary: 'Usage is up; they want more seats.', outcomes: ['positive', 'expansion likely'] },
    { kind: 'note', subject: 'Budget approved for Q{q}', summary: 'Champion confirmed budget sign-off.', outcomes: ['positive'] },
  ],
  marketing: [
    { kind: 'marketing', subject: 'Invitation: {event}', summary: 'Personal invitation sent.', outcomes: ['registered', 'no response', 'declined'] },
    { kind: 'marketing', subject: 'Webinar follow-up: getting more from {product}', summary: 'Recording and slides sent after attendance.', outcomes: ['opened', 'clicked', 'no response'] },
    { kind: 'marketing', subject: 'Case study interview request', summary: 'Asked whether they would share their results.', outcomes: ['agreed', 'maybe later', 'declined'] },
    { kind: 'email', subject: '{product} product update — {month}', summary: 'Newsletter with the release highlights.', outcomes: ['opened', 'no response'] },
    { kind: 'note', subject: 'Met at {event}', summary: 'Visited our booth; interested in {product}.', outcomes: ['lead passed to sales'] },
  ],
  support: [
    { kind: 'support', subject: 'Ticket #{n}: {issue}', summary: 'Reproduced and escalated to engineering.', outcomes: ['resolved', 'workaround given', 'escalated', 'waiting on customer'] },
    { kind: 'support', subject: 'Ticket #{n}: {issue}', summary: 'Customer reported it on the portal; fixed by config change.', outcomes: ['resolved'] },
    { kind: 'email', subject: 'Re: Ticket #{n} — status update', summary: 'Shared the fix ETA.', outcomes: ['customer satisfied', 'customer frustrated'] },
    { kind: 'call', subject: 'Escalation call about {issue}', summary: 'Walked the admin through the workaround.', outcomes: ['resolved', 'needs follow-up'] },
  ],
  it: [
    { kind: 'email', subject: 'SSO setup (SAML) for {company}', summary: 'Sent metadata and test plan.', outcomes: ['configured', 'waiting on their IdP team'] },
    { kind: 'email', subject: 'Security questionnaire', summary: 'Returned the completed questionnaire and SOC 2 report.', outcomes: ['accepted', 'follow-up questions'] },
    { kind: 'call', subject: 'API integration review', summary: 'Reviewed their integration plan and rate limits.', outcomes: ['approved', 'changes needed'] },
    { kind: 'note', subject: 'Sandbox provisioned', summary: 'Sandbox ready with sample data.', outcomes: ['done'] },
  ],
  leadership: [
    { kind: 'email', subject: 'Executive sponsor introduction', summary: 'Introduced myself as their exec sponsor.', outcomes: ['positive', 'meeting proposed'] },
    { kind: 'call', subject: 'Strategic partnership discussion', summary: 'Explored a joint offering for their customers.', outcomes: ['promising', 'not now'] },
    { kind: 'note', subject: 'Board feedback on {company}', summary: 'Key account; keep leadership in the loop.', outcomes: ['noted'] },
  ],
};

export const MEETING_SUBJECTS = [
  'Quarterly business review — {company}',
  'Implementation kickoff',
  'Onboarding session: {product}',
  'Demo: {product} reporting',
  'Security review with {company} IT',
  'Renewal planning',
];

export const OPEN_FLAG_NOTES: Record<string, string[]> = {
  'open-service-issue': ['Sync failures since last release — ticket open', 'Invoices wrong for 2 months; finance upset', 'SSO outage last week, root cause pending'],
  'do-not-contact': ['Asked not to be contacted by marketing', 'Unsubscribed; GDPR request logged'],
  'key-account': ['Top-10 account by revenue', 'Strategic logo; exec sponsor Lee'],
  'churn-risk': ['Evaluating a competitor', 'Usage dropped 40% this quarter'],
};

export const TASK_TITLES = [
  'Send revised quote to {name}',
  'Follow up on renewal with {name}',
  'Book QBR with {company}',
  'Check that the ticket fix reached {name}',
  'Send case study draft to {name}',
  'Confirm SSO cut-over date with {company}',
];
