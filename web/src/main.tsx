import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { ConnectionProvider, createConnection } from './app/connection.js';
import './styles/theme.css';
import './styles/base.css';
import './styles/access.css';

// One socket per page, opened before the first render so it is usually up by the time a lesson has loaded.
const connection = createConnection();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ConnectionProvider connection={connection}>
      <App />
    </ConnectionProvider>
  </StrictMode>,
);
