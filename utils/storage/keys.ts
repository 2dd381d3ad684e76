/**
 * The storage key the background bumps whenever the outbox or the Unlogged list changes. Pages (sidebar, popup,
 * calendar panel) watch it and ask again: the background cannot message pages it does not know. A module of its
 * own, so content scripts import the key without the outbox's code.
 */
export const OUTBOX_VERSION_KEY = 'liaison:outboxVersion';
