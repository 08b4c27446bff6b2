// @ts-check
import { append, clear, field, h, main, nav } from './dom.js';
import { act, showNotice } from './notices.js';
import { api, saveToken } from './api.js';

// ---------------------------------------------------------------------------------------------------------------
// Sign in.

/**
 * The sign-in form; `signedIn` runs once a session is open.
 * @param {string} reason why the form is shown (e.g. the session expired), or ''
 * @param {() => void} signedIn
 */
export function renderLogin(reason, signedIn) {
  nav.hidden = true;
  showNotice('');
  clear(main);
  const username = h('input', { type: 'text', name: 'username', autocomplete: 'username', required: true });
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'current-password', required: true });
  const message = h('p', { className: 'form-error', role: 'alert' }, reason || '');
  const form = h(
    'form',
    {
      onsubmit: (event) => {
        event.preventDefault();
        if (!username.value.trim() || !password.value) {
          message.textContent = 'Type your user name and password.';
          return;
        }
        void act(form.querySelector('button'), async () => {
          // The session token goes to this tab's sessionStorage only; the password is sent once and not kept.
          /** @type {import('./api.js').SignInResult} */
          const session = await api('POST', '/v1/admin/session', { username: username.value.trim(), password: password.value });
          password.value = '';
          saveToken(session.token);
          nav.hidden = false;
          if (!location.hash || location.hash === '#/login') location.hash = '#/messages';
          else signedIn();
        });
      },
    },
    field('User name', username),
    field('Password', password),
    h('p', { className: 'muted' }, 'Your directory (Active Directory) account, or a break-glass account. The session is kept in this tab only; every action is recorded under your name.'),
    h('button', { type: 'submit' }, 'Sign in'),
    message,
  );
  append(main, [h('section', { className: 'login', 'aria-labelledby': 'login-title' }, h('h2', { id: 'login-title' }, 'Sign in'), form)]);
  username.focus();
}
