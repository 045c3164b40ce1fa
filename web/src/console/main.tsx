import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './console.css';
import { App } from './App.tsx';
import { I18nProvider } from './i18n/index.tsx';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nProvider>
      <App />
    </I18nProvider>
  </StrictMode>,
);
