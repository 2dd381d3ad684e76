// @vitest-environment happy-dom
/**
 * Issue 12: each adapter says where a compose window is on screen, by the compose id it reported, so the heads-up
 * can sit beside it — the whole popup window for a Gmail popup, the form for an inline reply or Outlook's compose.
 * (happy-dom does no layout: the boxes are stubbed per element, which is what the adapter must pick.)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readComposes, composeBox as gmailComposeBox } from '../../utils/gmail/read-compose';
import { composeBox as outlookComposeBox, composeRoots, readCompose } from '../../utils/outlook/read-compose';
import { loadFixture } from './helpers/gmail-fixture';

function stubBoxes(boxes: Map<Element, DOMRect>) {
  vi.spyOn(Element.prototype, 'getBoundingClientRect').mockImplementation(function (this: Element) {
    return boxes.get(this) ?? ({ top: 0, left: 0, width: 0, height: 0 } as DOMRect);
  });
}
const rect = (top: number, left: number, width: number, height: number) => ({ top, left, width, height }) as DOMRect;

afterEach(() => vi.restoreAllMocks());

describe('where a compose window is', () => {
  it('Gmail: a popup by its whole window, an inline reply by its form; nothing for an unknown id', () => {
    const popup = loadFixture('2026-11-compose-popup.html');
    const [compose] = readComposes(popup, null, null);
    const dialog = popup.querySelector('div.AD') ?? popup.querySelector('[role="dialog"]')!;
    stubBoxes(new Map([[dialog, rect(400, 900, 500, 480)]]));
    expect(gmailComposeBox(popup, compose!.composeId)).toEqual({ top: 400, left: 900, width: 500, height: 480 });
    expect(gmailComposeBox(popup, 'local:none')).toBeNull();

    const inline = loadFixture('2026-11-inline-reply.html');
    const [reply] = readComposes(inline, '18f3a1b2c3d4e800', 'Pilot feedback');
    stubBoxes(new Map([[inline.querySelector('div.M9')!, rect(500, 120, 700, 300)]]));
    expect(gmailComposeBox(inline, reply!.composeId)).toEqual({ top: 500, left: 120, width: 700, height: 300 });
  });

  it('Gmail: a window that takes no space (minimised away, not laid out) has no box', () => {
    const popup = loadFixture('2026-11-compose-popup.html');
    const [compose] = readComposes(popup, null, null);
    stubBoxes(new Map());
    expect(gmailComposeBox(popup, compose!.composeId)).toBeNull();
  });

  it('Outlook: the compose form the id names', () => {
    const html = readFileSync(join(process.cwd(), 'test/fixtures/outlook/2026-11-compose.html'), 'utf8');
    const doc = new DOMParser().parseFromString(html, 'text/html');
    const [root] = composeRoots(doc);
    const compose = readCompose(root!, false, null, null);
    stubBoxes(new Map([[root!, rect(80, 300, 800, 700)]]));
    expect(outlookComposeBox(doc, compose.composeId)).toEqual({ top: 80, left: 300, width: 800, height: 700 });
  });
});
