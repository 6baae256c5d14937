import { Link } from 'wouter';
import { PageHeading } from '../../components/page-heading';

export default function NotFoundRoute() {
  return (
    <div className="page">
      <PageHeading>Page not found</PageHeading>
      <p>
        There is nothing at this address. <Link href="/">Explore acorns</Link>
      </p>
    </div>
  );
}
