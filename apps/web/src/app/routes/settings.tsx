import { useEffect } from 'react';
import { PageHeading } from '../../components/page-heading';
import { IdentitySettings } from '../../features/identity/components/identity-settings';

export default function SettingsRoute() {
  useEffect(() => {
    document.title = 'Settings · SquirrelBin';
  }, []);
  return (
    <div className="page">
      <PageHeading>Settings</PageHeading>
      <IdentitySettings />
    </div>
  );
}
