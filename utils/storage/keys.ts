/**
 * The storage key the background bumps whenever the outbox or the Unlogged list changes. Pages (sidebar, popup,
 * calendar panel) watch it and ask again: the background cannot message pages it does not know. A module of its
 * own, so content scripts import the key without the outbox's code.
 */
export const OUTBOX_VERSION_KEY = 'liaison:outboxVersion';

/**
 * Where the settings live (utils/storage/settings.ts). Pages watch it too: connecting to a hub from the options
 * page turns an open sidebar's "not connected" into the team's history without a reload. Only the key: the
 * settings themselves are read through the background.
 */
export const SETTINGS_KEY = 'liaison:settings';

/**
 * Issue 12: the hub's change counter as last seen (`{ version, etag, at }`), written by the background when it
 * moved. Pages watch it and revalidate what they show: a heads-up a colleague raised appears without a reload.
 */
export const TEAM_VERSION_KEY = 'liaison:teamVersion';
