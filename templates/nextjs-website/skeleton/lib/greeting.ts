/** The greeting the home page renders on the server. */
export function greeting(name: string | undefined, now: Date): string {
  const hour = now.getUTCHours();
  const part = hour < 12 ? 'morning' : hour < 18 ? 'afternoon' : 'evening';
  const who = name?.trim() ? name.trim().slice(0, 100) : 'there';
  return `Good ${part}, ${who}!`;
}
