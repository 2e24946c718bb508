// The PDF reader's behaviour (PdfReader.astro): pdf.js renders one page at a time into a canvas,
// with its text layer on top. Bundled by Astro/Vite: nothing inline, nothing from another origin.
import { GlobalWorkerOptions, TextLayer, getDocument, type PDFDocumentProxy, type PDFPageProxy, type RenderTask } from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';
import openjpegUrl from 'pdfjs-dist/wasm/openjpeg.wasm?url';
import qcmsUrl from 'pdfjs-dist/wasm/qcms_bg.wasm?url';

// The worker comes from our own origin (the CSP's default-src 'self' covers worker-src).
GlobalWorkerOptions.workerSrc = workerUrl;

// pdf.js asks for its WebAssembly decoders by file name (JPEG 2000 in scanned books needs
// OpenJPEG); Vite gives them hashed names under /_astro/, so this factory maps one to the other.
// The modules are compiled in the worker, whose script (an asset) carries no page policy.
const WASM: Record<string, string> = { 'openjpeg.wasm': openjpegUrl, 'qcms_bg.wasm': qcmsUrl };
class BundledWasmFactory {
  async fetch({ filename }: { filename: string }): Promise<Uint8Array> {
    const url = WASM[filename];
    if (!url) throw new Error(`No bundled ${filename}`);
    const res = await fetch(url);
    if (!res.ok) throw new Error(`${url}: ${res.status}`);
    return new Uint8Array(await res.arrayBuffer());
  }
}
const ZOOMS = [0.5, 0.67, 0.8, 1, 1.25, 1.5, 2, 3, 4];

class Reader {
  root: HTMLElement;
  canvas: HTMLCanvasElement;
  stage: HTMLElement;
  input: HTMLInputElement;
  status: HTMLElement;
  doc: PDFDocumentProxy | null = null;
  page = 1;
  scale = 1;
  fit = true;
  task: RenderTask | null = null;
  text: TextLayer | null = null;
  pending: Promise<void> = Promise.resolve();

  constructor(root: HTMLElement) {
    this.root = root;
    this.canvas = root.querySelector<HTMLCanvasElement>('[data-canvas]')!;
    this.stage = root.querySelector<HTMLElement>('[data-stage]')!;
    this.input = root.querySelector<HTMLInputElement>('[data-page-input]')!;
    this.status = root.querySelector<HTMLElement>('[data-status]')!;
  }

  el<T extends HTMLElement>(sel: string): T { return this.root.querySelector<T>(sel)!; }

  async start(): Promise<void> {
    this.el('[data-toolbar]').hidden = false;
    this.stage.hidden = false;
    this.say('Loading the PDF…');
    try {
      // isEvalSupported: false keeps pdf.js from compiling fonts with eval (the CSP has no 'unsafe-eval').
      this.doc = await getDocument({ url: this.root.dataset.src!, isEvalSupported: false, WasmFactory: BundledWasmFactory, useWorkerFetch: false }).promise;
    } catch (e) {
      const name = (e as { name?: string }).name;
      this.fail(name === 'PasswordException'
        ? 'This PDF is protected by a password, so it cannot be shown here. Download it and open it with the password.'
        : 'This PDF cannot be shown here. Open it in the browser or download it with the links below.');
      return;
    }
    this.el('[data-total]').textContent = String(this.doc.numPages);
    this.input.max = String(this.doc.numPages);
    this.root.addEventListener('click', (e) => {
      const act = (e.target as HTMLElement).closest<HTMLElement>('[data-act]')?.dataset.act;
      if (act) this.act(act);
    });
    this.input.addEventListener('change', () => this.go(Number(this.input.value)));
    this.input.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); this.go(Number(this.input.value)); } });
    this.stage.addEventListener('keydown', (e) => this.key(e));
    let width = this.stage.clientWidth;
    new ResizeObserver(() => {
      if (this.fit && Math.abs(this.stage.clientWidth - width) > 4) { width = this.stage.clientWidth; void this.render(); }
    }).observe(this.stage);
    await this.render();
  }

  act(act: string): void {
    if (act === 'prev') this.go(this.page - 1);
    else if (act === 'next') this.go(this.page + 1);
    else if (act === 'zoom-in') this.zoom(1);
    else if (act === 'zoom-out') this.zoom(-1);
    else if (act === 'fit') { this.fit = true; void this.render(); }
  }

  key(e: KeyboardEvent): void {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const map: Record<string, string> = { ArrowLeft: 'prev', PageUp: 'prev', ArrowRight: 'next', PageDown: 'next', '+': 'zoom-in', '=': 'zoom-in', '-': 'zoom-out', '0': 'fit' };
    if (e.key === 'Home') { e.preventDefault(); this.go(1); return; }
    if (e.key === 'End' && this.doc) { e.preventDefault(); this.go(this.doc.numPages); return; }
    // A page zoomed wider than the view scrolls sideways with the arrows, as any scrolling box does.
    if ((e.key === 'ArrowLeft' || e.key === 'ArrowRight') && this.stage.scrollWidth > this.stage.clientWidth + 1) return;
    const act = map[e.key];
    if (act) { e.preventDefault(); this.act(act); }
  }

  go(n: number): void {
    if (!this.doc || !Number.isFinite(n)) return;
    const next = Math.min(this.doc.numPages, Math.max(1, Math.round(n)));
    this.input.value = String(next);
    if (next === this.page) return;
    this.page = next;
    void this.render();
  }

  zoom(dir: 1 | -1): void {
    const current = this.scale;
    const steps = dir > 0 ? ZOOMS.filter((z) => z > current + 0.01) : ZOOMS.filter((z) => z < current - 0.01).reverse();
    if (!steps.length) return;
    this.fit = false;
    this.scale = steps[0]!;
    void this.render();
  }

  say(text: string): void { this.status.textContent = text; }

  fail(text: string): void {
    const box = this.el('[data-error]');
    box.textContent = text;
    box.hidden = false;
    this.el('[data-toolbar]').hidden = true;
    this.stage.hidden = true;
    this.say('');
  }

  render(): Promise<void> {
    // One render at a time: a newer request cancels the one in flight, then waits for it to settle.
    this.task?.cancel();
    this.text?.cancel();
    this.pending = this.pending.then(() => this.draw()).catch(() => undefined);
    return this.pending;
  }

  async draw(): Promise<void> {
    const doc = this.doc;
    if (!doc) return;
    const wanted = this.page;
    const page: PDFPageProxy = await doc.getPage(wanted);
    const natural = page.getViewport({ scale: 1 });
    if (this.fit) {
      const room = Math.max(200, this.stage.clientWidth - 24);
      this.scale = Math.min(4, Math.max(0.25, room / natural.width));
    }
    const viewport = page.getViewport({ scale: this.scale });
    const ratio = window.devicePixelRatio || 1;
    const canvas = this.canvas;
    canvas.width = Math.floor(viewport.width * ratio);
    canvas.height = Math.floor(viewport.height * ratio);
    canvas.style.width = `${Math.floor(viewport.width)}px`;
    canvas.style.height = `${Math.floor(viewport.height)}px`;
    delete canvas.dataset.rendered;
    this.task = page.render({ canvas, viewport, transform: ratio !== 1 ? [ratio, 0, 0, ratio, 0, 0] : undefined });
    try {
      await this.task.promise;
    } catch (e) {
      if ((e as { name?: string }).name === 'RenderingCancelledException') return;
      this.fail('This page cannot be drawn here. Open the PDF in the browser or download it with the links below.');
      return;
    } finally {
      this.task = null;
    }
    if (wanted !== this.page) return;
    // The text layer: transparent text over the picture, so it can be selected, searched with the
    // browser's find and read by a screen reader. Positioned through CSS variables (CSSOM only).
    const pageBox = this.el('[data-page]');
    pageBox.style.setProperty('--scale-factor', String(this.scale));
    const textBox = this.el('[data-text]');
    textBox.replaceChildren();
    this.text = new TextLayer({ textContentSource: page.streamTextContent(), container: textBox, viewport });
    try {
      await this.text.render();
    } catch {
      textBox.replaceChildren(); // cancelled by a newer render, or no text: the picture stays
    } finally {
      this.text = null;
    }
    if (wanted !== this.page) return;
    canvas.dataset.rendered = String(wanted);
    canvas.setAttribute('aria-label', `Page ${wanted} of ${doc.numPages}`);
    this.input.value = String(wanted);
    this.el('[data-act="prev"]').setAttribute('aria-disabled', String(wanted <= 1));
    this.el('[data-act="next"]').setAttribute('aria-disabled', String(wanted >= doc.numPages));
    this.el('[data-act="fit"]').setAttribute('aria-pressed', String(this.fit));
    this.el('[data-act="zoom-in"]').setAttribute('aria-disabled', String(this.scale >= ZOOMS.at(-1)! - 0.01));
    this.el('[data-act="zoom-out"]').setAttribute('aria-disabled', String(this.scale <= ZOOMS[0]! + 0.01));
    this.el('[data-zoom]').textContent = `${Math.round(this.scale * 100)}%`;
    this.say(`Page ${wanted} of ${doc.numPages}, ${Math.round(this.scale * 100)}%`);
  }
}

for (const root of document.querySelectorAll<HTMLElement>('[data-pdf-reader]')) void new Reader(root).start();
