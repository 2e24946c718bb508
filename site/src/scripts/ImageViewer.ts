// The image viewer's behaviour (ImageViewer.astro): zoom and pan by buttons, keys and pointer.
const MIN = 1;
const MAX = 8;

class ImageViewer {
  root: HTMLElement;
  stage: HTMLElement;
  img: HTMLImageElement;
  scale = 1;
  x = 0;
  y = 0;
  drag: { id: number; x: number; y: number; ox: number; oy: number } | null = null;

  constructor(root: HTMLElement, stage: HTMLElement, img: HTMLImageElement) {
    this.root = root;
    this.stage = stage;
    this.img = img;
  }

  start(): void {
    this.root.querySelector<HTMLElement>('[data-toolbar]')!.hidden = false;
    // The link to the full size is for readers without JavaScript; here the stage itself takes focus.
    const link = this.root.querySelector<HTMLAnchorElement>('[data-full]')!;
    link.replaceWith(this.img);
    this.stage.classList.add('zoomable');
    this.stage.tabIndex = 0;
    this.stage.setAttribute('aria-describedby', 'image-hint');
    this.root.addEventListener('click', (e) => {
      const act = (e.target as HTMLElement).closest<HTMLElement>('[data-act]')?.dataset.act;
      if (act === 'zoom-in') this.zoomBy(1.5);
      else if (act === 'zoom-out') this.zoomBy(1 / 1.5);
      else if (act === 'reset') this.set(1, 0, 0);
    });
    this.stage.addEventListener('keydown', (e) => this.key(e));
    this.stage.addEventListener('pointerdown', (e) => {
      if (this.scale <= 1 || e.button !== 0) return;
      this.drag = { id: e.pointerId, x: e.clientX, y: e.clientY, ox: this.x, oy: this.y };
      this.stage.setPointerCapture(e.pointerId);
      this.stage.classList.add('dragging');
      e.preventDefault();
    });
    this.stage.addEventListener('pointermove', (e) => {
      if (!this.drag || e.pointerId !== this.drag.id) return;
      this.set(this.scale, this.drag.ox + e.clientX - this.drag.x, this.drag.oy + e.clientY - this.drag.y, false);
    });
    const end = (e: PointerEvent) => {
      if (!this.drag || e.pointerId !== this.drag.id) return;
      this.drag = null;
      this.stage.classList.remove('dragging');
    };
    this.stage.addEventListener('pointerup', end);
    this.stage.addEventListener('pointercancel', end);
    this.stage.addEventListener('wheel', (e) => {
      if (!e.ctrlKey) return; // plain wheel scrolls the page as usual
      e.preventDefault();
      this.zoomBy(e.deltaY < 0 ? 1.25 : 0.8);
    }, { passive: false });
    this.img.draggable = false;
    this.set(1, 0, 0);
  }

  key(e: KeyboardEvent): void {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const step = 60;
    const moves: Record<string, [number, number]> = { ArrowLeft: [step, 0], ArrowRight: [-step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
    const move = moves[e.key];
    if (move && this.scale > 1) { e.preventDefault(); this.set(this.scale, this.x + move[0], this.y + move[1], false); return; }
    if (e.key === '+' || e.key === '=') { e.preventDefault(); this.zoomBy(1.5); }
    else if (e.key === '-') { e.preventDefault(); this.zoomBy(1 / 1.5); }
    else if (e.key === '0') { e.preventDefault(); this.set(1, 0, 0); }
  }

  zoomBy(f: number): void {
    const next = Math.min(MAX, Math.max(MIN, this.scale * f));
    // Zoom about the centre of the view: the point in the middle stays in the middle.
    const k = next / this.scale;
    this.set(next, this.x * k, this.y * k);
  }

  set(scale: number, x: number, y: number, announce = true): void {
    // Keep the picture over the stage: never pan past its edges.
    const w = this.img.clientWidth;
    const h = this.img.clientHeight;
    const maxX = (w * scale - w) / 2;
    const maxY = (h * scale - h) / 2;
    this.scale = scale;
    this.x = Math.min(maxX, Math.max(-maxX, x));
    this.y = Math.min(maxY, Math.max(-maxY, y));
    this.img.style.transform = `translate(${this.x}px, ${this.y}px) scale(${this.scale})`;
    const pct = `${Math.round(scale * 100)}%`;
    this.root.querySelector('[data-zoom]')!.textContent = pct;
    this.root.querySelector('[data-act="zoom-out"]')!.setAttribute('aria-disabled', String(scale <= MIN));
    this.root.querySelector('[data-act="zoom-in"]')!.setAttribute('aria-disabled', String(scale >= MAX));
    this.stage.dataset.zoom = String(scale);
    this.stage.classList.toggle('zoomed', scale > 1);
    if (announce) this.root.querySelector('[data-status]')!.textContent = `Zoom ${pct}`;
  }
}

for (const root of document.querySelectorAll<HTMLElement>('[data-image-viewer]')) {
  const stage = root.querySelector<HTMLElement>('[data-stage]');
  const img = root.querySelector<HTMLImageElement>('[data-image]');
  if (stage && img && root.querySelector('[data-toolbar]')) new ImageViewer(root, stage, img).start();
}
