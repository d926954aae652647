// @nqp/hub: filled by the hub work (issue 3).
export {};
