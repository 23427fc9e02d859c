// The WebGL side of one canvas: the three.js renderer and scene, the drawing-buffer size (a
// ResizeObserver, and a media query for the pixel ratio, which a resize does not report), and
// surviving a lost context. It knows nothing of points: the engine adds the passes' objects.
import { Color, OrthographicCamera, Scene, WebGLRenderer, type Object3D } from 'three';
import { BACKGROUND_COLOR } from './constants';
import type { PointCloudOptions } from './types';

export interface SurfaceHost {
  /** The canvas may have changed size or density: re-read it. */
  resized(): void;
  /** The context is gone: drop the pending frame. */
  lost(): void;
  /** The context is back: draw again (our CPU copies re-upload). */
  restored(): void;
}

export class RenderSurface {
  readonly renderer: WebGLRenderer;
  private readonly scene = new Scene();
  /** three.js wants a camera; the passes place points with their own uniforms. */
  private readonly camera = new OrthographicCamera(-1, 1, 1, -1, -1, 1);
  private readonly resizeObserver: ResizeObserver | null;
  private dprQuery: MediaQueryList | null = null;
  private readonly background: string;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly options: PointCloudOptions,
    private readonly host: SurfaceHost,
  ) {
    this.renderer = new WebGLRenderer({
      canvas,
      antialias: false,
      alpha: false,
      depth: false,
      stencil: false,
      powerPreference: 'high-performance',
      preserveDrawingBuffer: options.preserveDrawingBuffer ?? false,
    });
    this.background = options.background ?? BACKGROUND_COLOR;
    this.renderer.setClearColor(new Color(this.background), 1);
    canvas.addEventListener('webglcontextlost', this.onContextLost);
    canvas.addEventListener('webglcontextrestored', this.onContextRestored);
    this.resizeObserver = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(() => host.resized());
    this.resizeObserver?.observe(canvas);
  }

  get maxTextureSize(): number {
    return this.renderer.capabilities.maxTextureSize;
  }

  /** The canvas's CSS size and the pixel ratio to draw at. */
  measure(): { width: number; height: number; dpr: number } {
    const dpr = this.options.pixelRatio ?? (typeof window === 'undefined' ? 1 : window.devicePixelRatio || 1);
    return { width: this.canvas.clientWidth, height: this.canvas.clientHeight, dpr };
  }

  setSize(width: number, height: number, dpr: number): void {
    this.renderer.setPixelRatio(dpr);
    this.renderer.setSize(Math.max(1, width), Math.max(1, height), false);
  }

  /** A ResizeObserver does not fire when the window moves to a screen of another density. */
  watchPixelRatio(dpr: number): void {
    this.dprQuery?.removeEventListener('change', this.onPixelRatioChange);
    this.dprQuery = null;
    if (this.options.pixelRatio !== undefined || typeof matchMedia !== 'function') return;
    this.dprQuery = matchMedia(`(resolution: ${dpr}dppx)`);
    this.dprQuery.addEventListener('change', this.onPixelRatioChange);
  }

  add(...objects: Object3D[]): void {
    this.scene.add(...objects);
  }

  remove(...objects: Object3D[]): void {
    this.scene.remove(...objects);
  }

  render(): void {
    this.renderer.render(this.scene, this.camera);
  }

  dispose(): void {
    this.resizeObserver?.disconnect();
    this.dprQuery?.removeEventListener('change', this.onPixelRatioChange);
    this.canvas.removeEventListener('webglcontextlost', this.onContextLost);
    this.canvas.removeEventListener('webglcontextrestored', this.onContextRestored);
    this.renderer.dispose();
  }

  private readonly onPixelRatioChange = (): void => this.host.resized();

  private readonly onContextLost = (e: Event): void => {
    // Keeping the default would forbid a restore; our CPU copies re-upload after it.
    e.preventDefault();
    this.host.lost();
  };

  private readonly onContextRestored = (): void => {
    // three.js rebuilds its state on restore (it listens first), clear colour included.
    this.renderer.setClearColor(new Color(this.background), 1);
    this.host.restored();
  };
}
