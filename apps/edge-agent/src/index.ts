// @nqp/edge-agent: filled by the edge-agent work (issue 3).
export {};
