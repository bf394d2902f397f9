/** The greeting the app shows, for a name typed by the user. */
export function greeting(name: string): string {
  const who = name.trim().slice(0, 100);
  return who ? `Hello, ${who}!` : 'Hello!';
}
