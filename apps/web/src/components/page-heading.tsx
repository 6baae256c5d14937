import { type ReactNode, useEffect, useRef } from 'react';
import { takeRouteFocus } from '../lib/route-focus';

/** A page's h1. It takes focus when the page was reached by an in-app navigation. */
export function PageHeading({
  children,
  className,
  testId,
}: {
  children: ReactNode;
  className?: string;
  testId?: string;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (takeRouteFocus(window.location.pathname)) heading.current?.focus();
  }, []);
  return (
    <h1 ref={heading} tabIndex={-1} className={className} data-testid={testId}>
      {children}
    </h1>
  );
}
