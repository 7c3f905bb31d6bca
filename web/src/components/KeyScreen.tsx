import { useId, useState, type FormEvent } from 'react';

/** Props of the key screen. */
export interface KeyScreenProps {
  /** Why the key screen is shown again: the gateway refused the last key. */
  message: string | null;
  onSubmit(key: string): void;
}

/** Asks for an API key; shown until the gateway accepts one. */
export function KeyScreen({ message, onSubmit }: KeyScreenProps) {
  const [key, setKey] = useState('');
  const inputId = useId();
  const hintId = useId();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (key.trim()) onSubmit(key.trim());
  };
  return (
    <main className="key-screen">
      <form className="key-card" onSubmit={submit} aria-labelledby="key-title">
        <div className="brand brand-large">
          <span className="brand-mark" aria-hidden="true" />
          Tally
        </div>
        <h1 id="key-title">Sign in with an API key</h1>
        {message ? (
          <p className="key-message" role="alert">
            {message}
          </p>
        ) : null}
        <label htmlFor={inputId}>API key</label>
        <input
          id={inputId}
          type="password"
          autoComplete="off"
          spellCheck={false}
          value={key}
          onChange={(event) => setKey(event.target.value)}
          aria-describedby={hintId}
          aria-invalid={message ? true : undefined}
          autoFocus
          placeholder="Paste your key"
        />
        <p id={hintId} className="muted small">
          <code>npm start</code> prints a link that signs you in. Otherwise ask an admin for a key (the <code>createApiKey</code> mutation).
          The key stays in this browser only.
        </p>
        <button type="submit" className="button button-primary" disabled={!key.trim()}>
          Open the dashboard
        </button>
      </form>
    </main>
  );
}
