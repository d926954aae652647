;; One leaky echo-state step for `batch` streams, the same arithmetic in the same order as advanceEsn (esn.ts):
;; x_next = (1 − leak)·x + leak·tanh(bias + Σ input·u + Σ W·x), the recurrent sum in two interleaved accumulators,
;; tanh as reservoirTanh (the [7/6] Padé approximant clamped at ±4.97). Byte offsets of the arrays are parameters
;; (layout in esn-kernel.ts).
(module
  (memory (export "memory") 1)
  (func $tanh (param $x f64) (result f64)
    (local $x2 f64)
    (if (f64.gt (local.get $x) (f64.const 4.97)) (then (return (f64.const 1))))
    (if (f64.lt (local.get $x) (f64.const -4.97)) (then (return (f64.const -1))))
    (local.set $x2 (f64.mul (local.get $x) (local.get $x)))
    (f64.div
      (f64.mul (local.get $x)
        (f64.add (f64.const 135135)
          (f64.mul (local.get $x2) (f64.add (f64.const 17325) (f64.mul (local.get $x2) (f64.add (f64.const 378) (local.get $x2)))))))
      (f64.add (f64.const 135135)
        (f64.mul (local.get $x2) (f64.add (f64.const 62370) (f64.mul (local.get $x2) (f64.add (f64.const 3150) (f64.mul (f64.const 28) (local.get $x2)))))))))
  ;; rowStart: i32[units+1], column: i32[nnz], value: f64[nnz], input: f64[units*m], bias: f64[units],
  ;; cur/next: f64[batch*units], inputs: f64[batch*m]
  (func (export "step")
    (param $units i32) (param $m i32) (param $leak f64) (param $batch i32)
    (param $rowStart i32) (param $column i32) (param $value i32) (param $input i32) (param $bias i32)
    (param $cur i32) (param $inputs i32) (param $next i32)
    (local $b i32) (local $i i32) (local $k i32) (local $p i32) (local $end i32)
    (local $s0 f64) (local $s1 f64) (local $o i32) (local $io i32) (local $keep f64)
    (local.set $keep (f64.sub (f64.const 1) (local.get $leak)))
    (local.set $b (i32.const 0))
    (block $bend (loop $bloop
      (br_if $bend (i32.ge_u (local.get $b) (local.get $batch)))
      ;; byte offsets of this stream's state and inputs
      (local.set $o (i32.shl (i32.mul (local.get $b) (local.get $units)) (i32.const 3)))
      (local.set $io (i32.shl (i32.mul (local.get $b) (local.get $m)) (i32.const 3)))
      (local.set $p (i32.load (local.get $rowStart)))
      (local.set $i (i32.const 0))
      (block $iend (loop $iloop
        (br_if $iend (i32.ge_u (local.get $i) (local.get $units)))
        (local.set $s0 (f64.load (i32.add (local.get $bias) (i32.shl (local.get $i) (i32.const 3)))))
        (local.set $s1 (f64.const 0))
        (local.set $k (i32.const 0))
        (block $kend (loop $kloop
          (br_if $kend (i32.ge_u (local.get $k) (local.get $m)))
          (local.set $s1 (f64.add (local.get $s1)
            (f64.mul
              (f64.load (i32.add (local.get $input) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $m)) (local.get $k)) (i32.const 3))))
              (f64.load (i32.add (i32.add (local.get $inputs) (local.get $io)) (i32.shl (local.get $k) (i32.const 3)))))))
          (local.set $k (i32.add (local.get $k) (i32.const 1)))
          (br $kloop)))
        (local.set $end (i32.load (i32.add (local.get $rowStart) (i32.shl (i32.add (local.get $i) (i32.const 1)) (i32.const 2)))))
        (block $pend (loop $ploop
          (br_if $pend (i32.ge_s (i32.add (local.get $p) (i32.const 1)) (local.get $end)))
          (local.set $s0 (f64.add (local.get $s0)
            (f64.mul (f64.load (i32.add (local.get $value) (i32.shl (local.get $p) (i32.const 3))))
              (f64.load (i32.add (i32.add (local.get $cur) (local.get $o))
                (i32.shl (i32.load (i32.add (local.get $column) (i32.shl (local.get $p) (i32.const 2)))) (i32.const 3)))))))
          (local.set $s1 (f64.add (local.get $s1)
            (f64.mul (f64.load offset=8 (i32.add (local.get $value) (i32.shl (local.get $p) (i32.const 3))))
              (f64.load (i32.add (i32.add (local.get $cur) (local.get $o))
                (i32.shl (i32.load offset=4 (i32.add (local.get $column) (i32.shl (local.get $p) (i32.const 2)))) (i32.const 3)))))))
          (local.set $p (i32.add (local.get $p) (i32.const 2)))
          (br $ploop)))
        (if (i32.lt_s (local.get $p) (local.get $end))
          (then
            (local.set $s0 (f64.add (local.get $s0)
              (f64.mul (f64.load (i32.add (local.get $value) (i32.shl (local.get $p) (i32.const 3))))
                (f64.load (i32.add (i32.add (local.get $cur) (local.get $o))
                  (i32.shl (i32.load (i32.add (local.get $column) (i32.shl (local.get $p) (i32.const 2)))) (i32.const 3)))))))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))))
        (f64.store (i32.add (i32.add (local.get $next) (local.get $o)) (i32.shl (local.get $i) (i32.const 3)))
          (f64.add
            (f64.mul (local.get $keep) (f64.load (i32.add (i32.add (local.get $cur) (local.get $o)) (i32.shl (local.get $i) (i32.const 3)))))
            (f64.mul (local.get $leak) (call $tanh (f64.add (local.get $s0) (local.get $s1))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $iloop)))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $bloop)))))
