import { defineBackground } from '#imports';
import { startBackground } from '../utils/background/start';

// All logic lives in utils/background/: this file is the entry point's wiring only.
export default defineBackground(() => {
  startBackground();
});
