import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App, startOpeningPage } from './App';
import { adoptKeyFromLocation } from './session';
import './styles.css';

// Before the first render, so the key never shows in the address bar or reaches the router.
adoptKeyFromLocation();
startOpeningPage();

const root = document.getElementById('root');
if (!root) throw new Error('index.html must contain <div id="root">');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
