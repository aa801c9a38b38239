import { useEffect, useState, type AnchorHTMLAttributes, type ReactNode } from 'react';

/** The current hash route, e.g. "/live/15946" for "#/live/15946". */
function currentRoute(): string {
  const hash = window.location.hash.replace(/^#/, '');
  return hash === '' ? '/' : hash;
}

/** The path part of the route and its query parameters. */
export function useRoute(): { path: string; query: URLSearchParams } {
  const [route, setRoute] = useState(currentRoute);
  useEffect(() => {
    const onChange = () => setRoute(currentRoute());
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  const [path = '/', search = ''] = route.split('?');
  return { path, query: new URLSearchParams(search) };
}

/** Navigates to a route. */
export function navigate(to: string): void {
  window.location.hash = to;
}

/** A link to a route (a real anchor: keyboard, middle-click and screen readers work). */
export function Link({ to, children, ...rest }: { to: string; children: ReactNode } & Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'>) {
  return (
    <a href={`#${to}`} {...rest}>
      {children}
    </a>
  );
}
