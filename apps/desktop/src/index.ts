// @nqp/desktop: filled by the desktop work (issue 4).
export {};
