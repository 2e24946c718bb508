// The uploads page with JavaScript: several files at once (chosen or dropped), each with its own
// access level and tags, sent one after another by XMLHttpRequest (its upload progress events drive
// a <progress> bar per file), then GET /api/v1/files/{id} polled until the file is ready or failed,
// and its thumbnail shown. Without this script the form posts one file and the page answers itself.
import { ACCESS_OPTIONS, refusalText, sizeLabel } from '../lib/upload-text.ts';

interface Problem { code?: string; title?: string; detail?: string }
interface StoredFile { id: string; originalName: string; status: 'processing' | 'ready' | 'failed'; reason?: string; derivatives?: { thumbnail: string | null } }
interface Entry {
  n: number;
  file: File;
  li: HTMLLIElement;
  access: HTMLSelectElement;
  embargo: HTMLInputElement;
  tags: HTMLInputElement;
  progress: HTMLProgressElement;
  pct: HTMLElement;
  status: HTMLElement;
  state: 'waiting' | 'sending' | 'stored' | 'refused';
}

const form = document.querySelector<HTMLFormElement>('form.upload-form');
if (form) enhance(form);

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

function enhance(form: HTMLFormElement): void {
  const record = form.dataset.record ?? '';
  const input = form.querySelector<HTMLInputElement>('input[type="file"]')!;
  const drop = form.querySelector<HTMLElement>('[data-upload-drop]')!;
  const queue = form.querySelector<HTMLUListElement>('[data-upload-queue]')!;
  const summary = form.querySelector<HTMLElement>('[data-upload-summary]')!;
  const submit = form.querySelector<HTMLButtonElement>('[data-upload-submit]')!;
  const defAccess = form.querySelector<HTMLSelectElement>('[data-upload-access]')!;
  const defEmbargo = form.querySelector<HTMLInputElement>('[data-upload-embargo]')!;
  const defTags = form.querySelector<HTMLInputElement>('[data-upload-tags]')!;
  const entries: Entry[] = [];
  let counter = 0;
  let busy = false;

  input.multiple = true;
  input.required = false;
  form.querySelector<HTMLElement>('[data-upload-js-hint]')!.hidden = false;
  form.querySelector<HTMLElement>('[data-upload-drop-text]')!.hidden = false;
  form.querySelector<HTMLElement>('[data-upload-legend]')!.textContent = 'Access and tags for the files you add next (each file can be changed below)';
  drop.classList.add('is-enhanced');

  const refresh = () => {
    const waiting = entries.filter((e) => e.state === 'waiting').length;
    queue.hidden = entries.length === 0;
    submit.textContent = waiting > 1 ? `Upload ${waiting} files` : 'Upload';
    submit.disabled = busy;
  };

  const add = (files: FileList | File[]) => {
    for (const file of Array.from(files)) {
      const n = ++counter;
      const li = el('li', { class: 'upload-item' });
      const head = el('div', { class: 'upload-item-head' });
      const name = el('strong', { class: 'upload-item-name', id: `upload-item-${n}-name` }, file.name);
      const remove = el('button', { type: 'button', class: 'link-button upload-remove' }, 'Remove');
      remove.append(el('span', { class: 'visually-hidden' }, ` ${file.name}`));
      head.append(name, el('span', { class: 'meta' }, sizeLabel(file.size)), remove);

      const fields = el('div', { class: 'upload-item-fields' });
      const access = el('select', { id: `upload-item-${n}-access`, name: `access-${n}` });
      for (const o of ACCESS_OPTIONS) access.append(el('option', { value: o.value }, o.label));
      access.value = defAccess.value;
      const embargo = el('input', { id: `upload-item-${n}-embargo`, type: 'date' });
      embargo.value = defEmbargo.value;
      const tags = el('input', { id: `upload-item-${n}-tags`, type: 'text', maxlength: '1000', autocomplete: 'off' });
      tags.value = defTags.value;
      const field = (label: string, control: HTMLElement) => {
        const f = el('div', { class: 'field' });
        f.append(el('label', { for: control.id }, label), control);
        return f;
      };
      fields.append(field('Who may open it', access), field('Embargo until', embargo), field('Tags', tags));

      const bar = el('div', { class: 'upload-item-progress', hidden: '' });
      const progress = el('progress', { max: '100', value: '0', 'aria-label': `Upload of ${file.name}` });
      const pct = el('span', { class: 'upload-pct', 'aria-hidden': 'true' }, '0%');
      bar.append(progress, pct);
      const status = el('p', { class: 'upload-item-status', role: 'status' }, 'Ready to upload');
      li.append(head, fields, bar, status);
      queue.append(li);
      const entry: Entry = { n, file, li, access, embargo, tags, progress, pct, status, state: 'waiting' };
      entries.push(entry);
      remove.addEventListener('click', () => {
        if (entry.state === 'sending') return;
        entries.splice(entries.indexOf(entry), 1);
        li.remove();
        refresh();
        input.focus();
      });
    }
    summary.textContent = `${entries.filter((e) => e.state === 'waiting').length} ${entries.length === 1 ? 'file' : 'files'} ready to upload.`;
    refresh();
  };

  input.addEventListener('change', () => {
    if (input.files?.length) add(input.files);
    input.value = '';
  });

  // Drag and drop onto the file area (the whole form accepts the drop, so a near miss still lands).
  let depth = 0;
  form.addEventListener('dragenter', (e) => { if (hasFiles(e)) { e.preventDefault(); depth++; drop.classList.add('is-dragging'); } });
  form.addEventListener('dragover', (e) => { if (hasFiles(e)) { e.preventDefault(); e.dataTransfer!.dropEffect = 'copy'; } });
  form.addEventListener('dragleave', () => { depth = Math.max(0, depth - 1); if (!depth) drop.classList.remove('is-dragging'); });
  form.addEventListener('drop', (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    depth = 0;
    drop.classList.remove('is-dragging');
    add(e.dataTransfer!.files);
  });

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (busy) return;
    const waiting = entries.filter((x) => x.state === 'waiting');
    if (!waiting.length) {
      summary.textContent = 'Choose or drop at least one file first.';
      input.focus();
      return;
    }
    busy = true;
    refresh();
    let stored = 0;
    for (const entry of waiting) {
      if (await send(record, entry)) stored++;
    }
    busy = false;
    refresh();
    summary.textContent = `${stored} of ${waiting.length} ${waiting.length === 1 ? 'file' : 'files'} stored.`;
  });
}

function hasFiles(e: DragEvent): boolean {
  return Array.from(e.dataTransfer?.types ?? []).includes('Files');
}

function setProgress(entry: Entry, value: number): void {
  const v = Math.max(0, Math.min(100, Math.round(value)));
  entry.progress.value = v;
  entry.pct.textContent = `${v}%`;
}

function send(record: string, entry: Entry): Promise<boolean> {
  if (entry.access.value === 'embargoed' && !entry.embargo.value) {
    entry.status.textContent = 'Give the date the embargo ends, then upload again.';
    entry.li.classList.add('is-refused');
    entry.embargo.setAttribute('aria-invalid', 'true');
    return Promise.resolve(false);
  }
  entry.state = 'sending';
  entry.li.classList.remove('is-refused');
  entry.embargo.removeAttribute('aria-invalid');
  for (const c of [entry.access, entry.embargo, entry.tags]) c.disabled = true;
  entry.li.querySelector<HTMLElement>('.upload-item-progress')!.hidden = false;
  entry.li.querySelector<HTMLButtonElement>('.upload-remove')!.hidden = true;
  setProgress(entry, 0);
  entry.status.textContent = `Sending ${entry.file.name}…`;

  const body = new FormData();
  body.append('access', entry.access.value);
  if (entry.access.value === 'embargoed') body.append('embargoUntil', entry.embargo.value);
  if (entry.tags.value.trim()) body.append('tags', entry.tags.value.trim());
  body.append('file', entry.file, entry.file.name);

  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/staff/uploads/send?record=${encodeURIComponent(record)}`);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.addEventListener('progress', (e) => { if (e.lengthComputable) setProgress(entry, (e.loaded / e.total) * 100); });
    xhr.upload.addEventListener('load', () => setProgress(entry, 100));
    xhr.addEventListener('load', () => {
      let json: unknown = null;
      try { json = JSON.parse(xhr.responseText); } catch { /* not JSON: a proxy's error page */ }
      if (xhr.status === 201 && json) {
        const answer = json as { file: StoredFile; tagsProblem?: Problem };
        setProgress(entry, 100);
        entry.state = 'stored';
        entry.li.classList.add('is-stored');
        entry.status.textContent = `Stored. Making thumbnails and text…${answer.tagsProblem ? ' (The tags could not be added to the record.)' : ''}`;
        void watch(entry, answer.file.id);
        resolve(true);
        return;
      }
      const p = (json ?? {}) as Problem;
      refuse(entry, refusalText(p.code ?? (xhr.status === 413 ? 'file-too-large' : 'error'), p.detail, entry.file.name));
      resolve(false);
    });
    xhr.addEventListener('error', () => { refuse(entry, refusalText('network', null, entry.file.name)); resolve(false); });
    xhr.addEventListener('abort', () => { refuse(entry, refusalText('network', null, entry.file.name)); resolve(false); });
    xhr.send(body);
  });
}

function refuse(entry: Entry, text: string): void {
  entry.state = 'refused';
  entry.li.classList.add('is-refused');
  entry.status.textContent = `Not stored: ${text}`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls the file until processing ends: every second at first, then every three, for ten minutes. */
async function watch(entry: Entry, id: string): Promise<void> {
  const started = Date.now();
  for (let i = 0; Date.now() - started < 600_000; i++) {
    await sleep(i < 20 ? 1000 : 3000);
    let file: StoredFile;
    try {
      const res = await fetch(`/api/v1/files/${encodeURIComponent(id)}`, { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
      if (!res.ok) continue;
      file = await res.json() as StoredFile;
    } catch {
      continue;
    }
    if (file.status === 'processing') continue;
    const done = el('p', { class: 'upload-item-done' });
    if (file.status === 'ready') {
      entry.li.classList.add('is-ready');
      entry.status.textContent = `Ready: ${file.originalName} is stored and processed.`;
      if (file.derivatives?.thumbnail) {
        const img = el('img', { class: 'upload-thumb', src: file.derivatives.thumbnail, alt: `Thumbnail of ${file.originalName}`, width: '96', height: '128' });
        done.append(img);
      }
      const link = el('a', { href: `/api/v1/files/${id}/content` }, `Open ${file.originalName}`);
      done.append(link);
    } else {
      entry.li.classList.add('is-refused');
      entry.status.textContent = `Stored, but processing failed${file.reason ? `: ${file.reason}` : ''}. The file is kept; staff can still download it.`;
    }
    entry.li.append(done);
    return;
  }
  entry.status.textContent = 'Stored. Still processing: reload the page later to see the result.';
}
