/** The smallest router that does the job: the path is the page, links push history, Back works. */
const listeners = new Set<() => void>();

export function navigate(path: string, replace = false): void {
  if (replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  for (const fn of listeners) fn();
}

export function onNavigate(fn: () => void): () => void {
  listeners.add(fn);
  const pop = () => fn();
  window.addEventListener('popstate', pop);
  return () => {
    listeners.delete(fn);
    window.removeEventListener('popstate', pop);
  };
}

/** For `<a href onClick={follow}>`: in-app navigation, except when the person wants a new tab. */
export function follow(e: MouseEvent): void {
  const a = e.currentTarget as HTMLAnchorElement;
  if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey || a.target) return;
  e.preventDefault();
  navigate(a.getAttribute('href')!);
}
