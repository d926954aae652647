// @nqp/kernels: filled by the kernels work (issue 7).
export {};
