// @ts-check
import { element, nav } from './dom.js';
// Körpü admin console: ES modules over the admin API (/v1/admin/...), type-checked (libs/admin-console/tsconfig.json,
// checkJs) and linted like the rest. Everything shown comes from the API and may hold untrusted text (payloads,
// headers, error messages): it is only ever put in the page as text (textContent / text nodes), never as HTML.
// The operator signs in with user name and password (POST /v1/admin/session); the session token lives in
// sessionStorage only (gone when the tab closes). This module is the entry point: routing and the page's events.
import { hideError, showError, showNotice } from './notices.js';
import { ApiError, api, forgetToken, token, whenUnauthenticated } from './api.js';
import { renderLogin } from './view-login.js';
import { renderMessages } from './view-messages.js';
import { renderGroups } from './view-groups.js';
import { renderMessage } from './view-message.js';
import { renderAudit } from './view-audit.js';
import { renderAccess } from './view-access.js';
import { renderOverview } from './view-overview.js';

// ---------------------------------------------------------------------------------------------------------------
// Routing (#/overview, #/messages, #/message/<id>, #/groups, #/audit, #/access).

async function route() {
  if (!token()) {
    renderLogin('', signedIn);
    return;
  }
  nav.hidden = false;
  hideError();
  const hash = location.hash.replace(/^#/, '') || '/messages';
  const [path, search] = hash.split('?');
  const params = new URLSearchParams(search || '');
  const section = path.split('/')[1] || 'messages';
  for (const link of nav.querySelectorAll('a')) {
    if (link.getAttribute('href') === `#/${section === 'message' ? 'messages' : section}`) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  try {
    if (section === 'message') await renderMessage(decodeURIComponent(path.slice('/message/'.length)));
    else if (section === 'groups') await renderGroups();
    else if (section === 'audit') await renderAudit(params);
    else if (section === 'access') await renderAccess(params);
    else if (section === 'overview') await renderOverview(params);
    else await renderMessages(params);
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 401)) showError(error);
  }
}

const signedIn = () => void route();
whenUnauthenticated((reason) => renderLogin(reason, signedIn));

element('sign-out').addEventListener('click', async () => {
  // Ends the session on the server too, so the token opens nothing even if it was copied.
  if (token()) await api('DELETE', '/v1/admin/session').catch(() => undefined);
  forgetToken();
  location.hash = '';
  renderLogin('Signed out.', signedIn);
});
window.addEventListener('hashchange', () => {
  showNotice('');
  void route();
});
void route();
