import { useEffect } from 'react';
import { IdentitySettings } from '../../features/identity/components/identity-settings';

export default function SettingsRoute() {
  useEffect(() => {
    document.title = 'Settings · SquirrelBin';
  }, []);
  return (
    <div className="page">
      <h1>Settings</h1>
      <IdentitySettings />
    </div>
  );
}
