import { render } from 'preact';
import { browser } from 'wxt/browser';
import { Popup } from '../../components/popup/Popup';
import '../../components/popup/popup.css';
import { uiLocale } from '../../components/sidebar/t';
import { sendMessage } from '../../utils/messaging/client';
import { OUTBOX_VERSION_KEY } from '../../utils/outbox';

// Entry point wiring only. The background bumps OUTBOX_VERSION_KEY on every outbox change; re-render on it.
document.documentElement.lang = uiLocale() ?? 'en';
const root = document.getElementById('app')!;
let version = 0;
const paint = () =>
  render(<Popup send={sendMessage} version={version} openOptions={() => void browser.runtime.openOptionsPage()} />, root);
browser.storage.onChanged.addListener((changes, area) => {
  if (area === 'local' && OUTBOX_VERSION_KEY in changes) {
    version += 1;
    paint();
  }
});
paint();
