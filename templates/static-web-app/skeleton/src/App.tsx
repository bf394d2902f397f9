import { useState } from 'react';
import { greeting } from './greeting';

export function App() {
  const [name, setName] = useState('');
  return (
    <main className="page">
      <h1>{greeting(name)}</h1>
      <label>
        Your name <input value={name} onChange={e => setName(e.target.value)} />
      </label>
    </main>
  );
}
