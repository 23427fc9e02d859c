// Pointer, wheel and keyboard handling on the canvas, turned into intents for the engine.
// All coordinates are canvas CSS pixels.
import {
  CLICK_SLOP_PX,
  KEY_PAN_FRACTION,
  KEY_ZOOM_FACTOR,
  LASSO_MIN_STEP_PX,
  PINCH_ZOOM_RATE,
  WHEEL_ZOOM_RATE,
} from './constants';
import { wheelPixels } from './camera';
import type { Modifiers, Tool } from './types';

export interface InputSink {
  tool(): Tool;
  size(): { width: number; height: number };
  panBy(dx: number, dy: number): void;
  zoomAt(sx: number, sy: number, factor: number): void;
  fitAll(): void;
  hover(sx: number, sy: number): void;
  leave(): void;
  click(sx: number, sy: number, m: Modifiers): void;
  /** The outline being drawn changed (empty: none). */
  lassoPath(path: number[]): void;
  lassoDone(path: number[], m: Modifiers, box: boolean): void;
}

function mods(e: MouseEvent | KeyboardEvent): Modifiers {
  return { shiftKey: e.shiftKey, altKey: e.altKey, ctrlKey: e.ctrlKey, metaKey: e.metaKey };
}

/** Attaches listeners; returns the function that removes them all. */
export function attachInput(canvas: HTMLCanvasElement, sink: InputSink): () => void {
  let drag: { id: number; x0: number; y0: number; x: number; y: number; moved: boolean; path: number[] } | null = null;

  const local = (e: MouseEvent): [number, number] => {
    const r = canvas.getBoundingClientRect();
    return [e.clientX - r.left, e.clientY - r.top];
  };

  const boxPath = (x0: number, y0: number, x1: number, y1: number): number[] => [x0, y0, x1, y0, x1, y1, x0, y1];

  const onPointerDown = (e: PointerEvent): void => {
    if (e.button !== 0 || drag) return;
    const [x, y] = local(e);
    canvas.setPointerCapture(e.pointerId);
    drag = { id: e.pointerId, x0: x, y0: y, x, y, moved: false, path: [x, y] };
    canvas.focus({ preventScroll: true });
  };

  const onPointerMove = (e: PointerEvent): void => {
    const [x, y] = local(e);
    if (!drag || drag.id !== e.pointerId) {
      sink.hover(x, y);
      return;
    }
    if (!drag.moved && Math.hypot(x - drag.x0, y - drag.y0) < CLICK_SLOP_PX) return;
    drag.moved = true;
    const tool = sink.tool();
    if (tool === 'pan') {
      sink.panBy(x - drag.x, y - drag.y);
    } else if (tool === 'box') {
      drag.path = boxPath(drag.x0, drag.y0, x, y);
      sink.lassoPath(drag.path);
    } else {
      const n = drag.path.length;
      if (Math.hypot(x - drag.path[n - 2], y - drag.path[n - 1]) >= LASSO_MIN_STEP_PX) {
        drag.path.push(x, y);
        sink.lassoPath(drag.path);
      }
    }
    drag.x = x;
    drag.y = y;
  };

  const onPointerUp = (e: PointerEvent): void => {
    if (!drag || drag.id !== e.pointerId) return;
    const d = drag;
    drag = null;
    if (canvas.hasPointerCapture(e.pointerId)) canvas.releasePointerCapture(e.pointerId);
    const [x, y] = local(e);
    if (!d.moved) {
      sink.click(x, y, mods(e));
      return;
    }
    const tool = sink.tool();
    if (tool === 'pan') return;
    sink.lassoPath([]);
    sink.lassoDone(tool === 'box' ? boxPath(d.x0, d.y0, x, y) : d.path, mods(e), tool === 'box');
  };

  const onPointerCancel = (e: PointerEvent): void => {
    if (!drag || drag.id !== e.pointerId) return;
    drag = null;
    sink.lassoPath([]);
  };

  const onWheel = (e: WheelEvent): void => {
    e.preventDefault();
    const [x, y] = local(e);
    const px = wheelPixels(e.deltaY, e.deltaMode, sink.size().height);
    // Trackpad pinch arrives as ctrl+wheel with small deltas.
    sink.zoomAt(x, y, Math.exp(-px * (e.ctrlKey ? PINCH_ZOOM_RATE : WHEEL_ZOOM_RATE)));
  };

  const onKeyDown = (e: KeyboardEvent): void => {
    const { width, height } = sink.size();
    const panX = width * KEY_PAN_FRACTION;
    const panY = height * KEY_PAN_FRACTION;
    switch (e.key) {
      case '+':
      case '=':
        sink.zoomAt(width / 2, height / 2, KEY_ZOOM_FACTOR);
        break;
      case '-':
      case '_':
        sink.zoomAt(width / 2, height / 2, 1 / KEY_ZOOM_FACTOR);
        break;
      case 'ArrowLeft':
        sink.panBy(panX, 0);
        break;
      case 'ArrowRight':
        sink.panBy(-panX, 0);
        break;
      case 'ArrowUp':
        sink.panBy(0, panY);
        break;
      case 'ArrowDown':
        sink.panBy(0, -panY);
        break;
      case '0':
      case 'Home':
        sink.fitAll();
        break;
      case 'Escape':
        if (!drag) return;
        drag = null;
        sink.lassoPath([]);
        break;
      default:
        return;
    }
    e.preventDefault();
  };

  const onLeave = (): void => {
    if (!drag) sink.leave();
  };

  // Keyboard navigation needs focus; a canvas is not focusable unless given a tab index.
  if (canvas.tabIndex < 0) canvas.tabIndex = 0;
  canvas.style.touchAction = 'none';
  canvas.addEventListener('pointerdown', onPointerDown);
  canvas.addEventListener('pointermove', onPointerMove);
  canvas.addEventListener('pointerup', onPointerUp);
  canvas.addEventListener('pointercancel', onPointerCancel);
  canvas.addEventListener('pointerleave', onLeave);
  canvas.addEventListener('wheel', onWheel, { passive: false });
  canvas.addEventListener('keydown', onKeyDown);
  return () => {
    canvas.removeEventListener('pointerdown', onPointerDown);
    canvas.removeEventListener('pointermove', onPointerMove);
    canvas.removeEventListener('pointerup', onPointerUp);
    canvas.removeEventListener('pointercancel', onPointerCancel);
    canvas.removeEventListener('pointerleave', onLeave);
    canvas.removeEventListener('wheel', onWheel);
    canvas.removeEventListener('keydown', onKeyDown);
  };
}
