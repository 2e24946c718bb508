// Checks the ISBN's check digit as the librarian types, with the same pure function the API uses
// (services/api/modules/catalog/isbn.ts). Only an enhancement: the server checks again on save and
// its answer is shown next to the field without JavaScript.
import { parseIsbn } from '../../../services/api/modules/catalog/isbn.ts';

for (const input of document.querySelectorAll<HTMLInputElement>('input[data-isbn-check]')) {
  const live = document.getElementById(input.dataset.isbnCheck ?? '');
  if (!live) continue;
  const serverError = input.getAttribute('aria-invalid') === 'true';
  let timer: number | undefined;
  const check = (final: boolean) => {
    const raw = input.value.trim();
    const digits = raw.replace(/[^\dXx]/g, '').length;
    if (!raw) {
      live.textContent = '';
      live.className = 'hint';
      if (!serverError) input.removeAttribute('aria-invalid');
      return;
    }
    // While typing, judge only once the ISBN could be complete (10 or 13 characters), or on leaving the field.
    if (!final && digits < 10) { live.textContent = ''; live.className = 'hint'; return; }
    const r = parseIsbn(raw);
    if (r.ok) {
      live.textContent = `Valid ISBN${r.isbn10 ? ` (ISBN-10 ${r.isbn10}, ISBN-13 ${r.isbn13})` : ` (ISBN-13 ${r.isbn13})`}.`;
      live.className = 'field-ok';
      input.setAttribute('aria-invalid', 'false');
    } else if (final || digits >= 13 || (digits === 10 && !/^97[89]/.test(raw.replace(/\D/g, '')))) {
      live.textContent = `Not a valid ISBN: ${r.reason}`;
      live.className = 'field-error';
      input.setAttribute('aria-invalid', 'true');
    } else {
      live.textContent = '';
      live.className = 'hint';
    }
  };
  const describedBy = new Set((input.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean));
  describedBy.add(live.id);
  input.setAttribute('aria-describedby', [...describedBy].join(' '));
  input.addEventListener('input', () => { window.clearTimeout(timer); timer = window.setTimeout(() => check(false), 200); });
  input.addEventListener('blur', () => { window.clearTimeout(timer); check(true); });
}
