/** Content scripts hold a port of this name while their page is open: when it drops, the tab is gone. */
export const PAGE_PORT = 'liaison:page';
