// The start page: open an advertiser (its decisions, appeals and the forms that act on them), or register one.
import { h, fill, page, words } from '/ui/assets/verdict.js';
import { SITE, field, options, submitCommand } from '/ui/moderation/site.js';

page(SITE, async (main) => {
  document.title = 'Advertisers · Verdict moderation';
  const id = h('input', { type: 'text', name: 'advertiserId', spellcheck: 'false', autocomplete: 'off' });
  const open = h('form', { class: 'panel', id: 'open-advertiser', 'aria-labelledby': 'open-title' },
    h('h2', { id: 'open-title' }, 'Open an advertiser'),
    h('p', { class: 'hint' }, 'Staff see every advertiser; an advertiser’s own account sees its own decisions and can appeal them there.'),
    h('div', { class: 'row' }, field('open-id', 'advertiserId', 'Advertiser id', id, 'For example kaspersky-lab'),
      h('div', { class: 'field' }, h('button', { type: 'submit' }, 'Open'))));
  open.addEventListener('submit', (event) => {
    event.preventDefault();
    if (id.value.trim()) location.assign(`/ui/advertisers/${encodeURIComponent(id.value.trim())}`);
    else id.focus();
  });

  const register = h('form', { class: 'panel', id: 'register-advertiser', novalidate: true, 'aria-labelledby': 'register-title' },
    h('h2', { id: 'register-title' }, 'Register an advertiser'),
    h('p', { class: 'hint' }, 'For moderators.'),
    h('div', { class: 'row' },
      field('register-id', 'advertiserId', 'Advertiser id', h('input', { type: 'text', name: 'advertiserId', spellcheck: 'false' }), 'Letters, digits, . _ - (up to 64)'),
      field('register-name', 'legalName', 'Legal name', h('input', { type: 'text', name: 'legalName' }))),
    h('div', { class: 'row' },
      field('register-country', 'country', 'Country', h('input', { type: 'text', name: 'country', maxlength: 2, spellcheck: 'false' }), 'ISO 3166-1 alpha-2, e.g. DE'),
      field('register-account', 'accountType', 'Account type', h('select', { name: 'accountType' }, options(['BUSINESS', 'PRIVATE'], words)))),
    h('button', { type: 'submit' }, 'Register'));
  register.addEventListener('submit', async (event) => {
    event.preventDefault();
    const f = register.elements;
    const body = { advertiserId: f.advertiserId.value.trim(), legalName: f.legalName.value.trim(), country: f.country.value.trim().toUpperCase(), accountType: f.accountType.value };
    const done = await submitCommand(register, '/api/v1/advertisers', body, { codeFields: { 'advertiser-exists': 'advertiserId' } });
    if (done) location.assign(`/ui/advertisers/${encodeURIComponent(body.advertiserId)}`);
  });

  fill(main, h('h1', {}, 'Advertisers'),
    h('p', { class: 'lead' }, 'Decisions about advertisers, each naming its rule and evidence, and their appeals.'),
    open, register);
  id.focus();
});
