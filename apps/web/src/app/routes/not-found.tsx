import { Link } from 'wouter';

export default function NotFoundRoute() {
  return (
    <div className="page">
      <h1>Page not found</h1>
      <p>
        There is nothing at this address. <Link href="/">Explore acorns</Link>
      </p>
    </div>
  );
}
