/** The text of a downloaded key file: the key, and how to use it. */
export function keyFileText(key: string, origin: string): string {
  return [
    'SquirrelBin identity key',
    '',
    key,
    '',
    `Whoever has this key can edit and delete your acorns on ${origin}.`,
    'To use it in another browser: Settings → Import a key.',
    '',
  ].join('\n');
}

/** Saves the key as a text file through the browser's download. */
export function downloadKey(key: string): void {
  const blob = new Blob([keyFileText(key, window.location.origin)], { type: 'text/plain' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = 'squirrelbin-key.txt';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}
