/**
 * WebAssembly (128-bit SIMD) kernels of core's reservoir steps and linear readout, in WebAssembly text, assembled
 * with wabt. Layout: every per-stream plane is unit-major with the streams contiguous (x[i·B + b], B padded to a
 * multiple of 4), so one coupling weight is splatted once and applied to four streams per instruction. Sparse rows
 * come from core's CSR; `column` holds byte offsets of the neighbour's row (column·B·4), saving a multiply in the
 * inner loop. Arithmetic is float32 in the order of core's loops (bias, inputs, recurrent, then the nonlinearity).
 *
 * esn:     x_n[i] = keep·x[i] + leak·tanh_pade(bias_i + Σ_k W_in[i,k]·u[k] + Σ_p W[i,col_p]·x[col_p])
 * lif:     core's advanceLif (synaptic current, refractory period, membrane leak, fire-and-reset, spike trace)
 * readout: out[t][b] = c[t][b] + Σ_f W[t][f][b]·feat[f][b]
 */
export const reservoirWat = /* wat */ `
(module
  (memory (export "memory") 1)

  ;; core's reservoirTanh: the [7/6] Padé approximant of tanh, clamped to ±1 beyond |x| > 4.97.
  (func $tanh (param $x v128) (result v128)
    (local $x2 v128) (local $r v128)
    (local.set $x2 (f32x4.mul (local.get $x) (local.get $x)))
    (local.set $r
      (f32x4.div
        (f32x4.mul (local.get $x)
          (f32x4.add (f32x4.splat (f32.const 135135))
            (f32x4.mul (local.get $x2)
              (f32x4.add (f32x4.splat (f32.const 17325))
                (f32x4.mul (local.get $x2) (f32x4.add (f32x4.splat (f32.const 378)) (local.get $x2)))))))
        (f32x4.add (f32x4.splat (f32.const 135135))
          (f32x4.mul (local.get $x2)
            (f32x4.add (f32x4.splat (f32.const 62370))
              (f32x4.mul (local.get $x2)
                (f32x4.add (f32x4.splat (f32.const 3150)) (f32x4.mul (f32x4.splat (f32.const 28)) (local.get $x2)))))))))
    (local.set $r (v128.bitselect (f32x4.splat (f32.const 1)) (local.get $r)
      (f32x4.gt (local.get $x) (f32x4.splat (f32.const 4.97)))))
    (v128.bitselect (f32x4.splat (f32.const -1)) (local.get $r)
      (f32x4.lt (local.get $x) (f32x4.splat (f32.const -4.97)))))

  ;; acc[0..rowBytes) = bias_i + Σ_k win[i,k]·u[k] + Σ_p val[p]·src[col[p]]
  (func $drive (param $i i32) (param $rowBytes i32) (param $m i32) (param $rowStart i32) (param $col i32)
               (param $val i32) (param $win i32) (param $bias f32) (param $u i32) (param $src i32) (param $acc i32)
    (local $b i32) (local $k i32) (local $p i32) (local $end i32) (local $w v128) (local $from i32)
    (local.set $w (f32x4.splat (local.get $bias)))
    (local.set $b (i32.const 0))
    (block $done (loop $fill
      (br_if $done (i32.ge_u (local.get $b) (local.get $rowBytes)))
      (v128.store (i32.add (local.get $acc) (local.get $b)) (local.get $w))
      (local.set $b (i32.add (local.get $b) (i32.const 16)))
      (br $fill)))
    (local.set $k (i32.const 0))
    (block $kdone (loop $inputs
      (br_if $kdone (i32.ge_u (local.get $k) (local.get $m)))
      (local.set $w (f32x4.splat (f32.load
        (i32.add (local.get $win) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $m)) (local.get $k)) (i32.const 2))))))
      (local.set $from (i32.add (local.get $u) (i32.mul (local.get $k) (local.get $rowBytes))))
      (local.set $b (i32.const 0))
      (block $bdone (loop $streams
        (br_if $bdone (i32.ge_u (local.get $b) (local.get $rowBytes)))
        (v128.store (i32.add (local.get $acc) (local.get $b))
          (f32x4.add (v128.load (i32.add (local.get $acc) (local.get $b)))
            (f32x4.mul (local.get $w) (v128.load (i32.add (local.get $from) (local.get $b))))))
        (local.set $b (i32.add (local.get $b) (i32.const 16)))
        (br $streams)))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br $inputs)))
    (local.set $p (i32.load (i32.add (local.get $rowStart) (i32.shl (local.get $i) (i32.const 2)))))
    (local.set $end (i32.load (i32.add (local.get $rowStart) (i32.shl (i32.add (local.get $i) (i32.const 1)) (i32.const 2)))))
    (block $pdone (loop $neighbours
      (br_if $pdone (i32.ge_u (local.get $p) (local.get $end)))
      (local.set $w (f32x4.splat (f32.load (i32.add (local.get $val) (i32.shl (local.get $p) (i32.const 2))))))
      (local.set $from (i32.add (local.get $src) (i32.load (i32.add (local.get $col) (i32.shl (local.get $p) (i32.const 2))))))
      (local.set $b (i32.const 0))
      (block $bdone2 (loop $streams2
        (br_if $bdone2 (i32.ge_u (local.get $b) (local.get $rowBytes)))
        (v128.store (i32.add (local.get $acc) (local.get $b))
          (f32x4.add (v128.load (i32.add (local.get $acc) (local.get $b)))
            (f32x4.mul (local.get $w) (v128.load (i32.add (local.get $from) (local.get $b))))))
        (local.set $b (i32.add (local.get $b) (i32.const 16)))
        (br $streams2)))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br $neighbours))))

  (func (export "esn") (param $n i32) (param $rowBytes i32) (param $m i32) (param $rowStart i32) (param $col i32)
                       (param $val i32) (param $win i32) (param $bias i32) (param $u i32) (param $x i32)
                       (param $xn i32) (param $acc i32) (param $keep f32) (param $leak f32)
    (local $i i32) (local $b i32) (local $row i32)
    (block $done (loop $units
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (call $drive (local.get $i) (local.get $rowBytes) (local.get $m) (local.get $rowStart) (local.get $col)
        (local.get $val) (local.get $win) (f32.load (i32.add (local.get $bias) (i32.shl (local.get $i) (i32.const 2))))
        (local.get $u) (local.get $x) (local.get $acc))
      (local.set $row (i32.mul (local.get $i) (local.get $rowBytes)))
      (local.set $b (i32.const 0))
      (block $bdone (loop $streams
        (br_if $bdone (i32.ge_u (local.get $b) (local.get $rowBytes)))
        (v128.store (i32.add (i32.add (local.get $xn) (local.get $row)) (local.get $b))
          (f32x4.add
            (f32x4.mul (f32x4.splat (local.get $keep)) (v128.load (i32.add (i32.add (local.get $x) (local.get $row)) (local.get $b))))
            (f32x4.mul (f32x4.splat (local.get $leak)) (call $tanh (v128.load (i32.add (local.get $acc) (local.get $b)))))))
        (local.set $b (i32.add (local.get $b) (i32.const 16)))
        (br $streams)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $units))))

  ;; planes: v, I, refractory, spikes, trace, each n·rowBytes, at $state; last step's spikes at $prev.
  (func (export "lif") (param $n i32) (param $rowBytes i32) (param $m i32) (param $rowStart i32) (param $col i32)
                       (param $val i32) (param $win i32) (param $bias i32) (param $u i32) (param $prev i32)
                       (param $state i32) (param $acc i32) (param $am f32) (param $as f32) (param $at f32)
                       (param $theta f32) (param $reset f32) (param $tref f32)
    (local $i i32) (local $b i32) (local $plane i32) (local $o i32)
    (local $v v128) (local $cur v128) (local $r v128) (local $inref v128) (local $cand v128) (local $fire v128)
    (local $s v128) (local $bi v128)
    (local.set $plane (i32.mul (local.get $n) (local.get $rowBytes)))
    (block $done (loop $units
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (call $drive (local.get $i) (local.get $rowBytes) (local.get $m) (local.get $rowStart) (local.get $col)
        (local.get $val) (local.get $win) (f32.const 0) (local.get $u) (local.get $prev) (local.get $acc))
      (local.set $bi (f32x4.splat (f32.load (i32.add (local.get $bias) (i32.shl (local.get $i) (i32.const 2))))))
      (local.set $b (i32.const 0))
      (block $bdone (loop $streams
        (br_if $bdone (i32.ge_u (local.get $b) (local.get $rowBytes)))
        (local.set $o (i32.add (i32.add (local.get $state) (i32.mul (local.get $i) (local.get $rowBytes))) (local.get $b)))
        (local.set $cur (f32x4.add (f32x4.mul (f32x4.splat (local.get $as))
            (v128.load (i32.add (local.get $o) (local.get $plane))))
          (v128.load (i32.add (local.get $acc) (local.get $b)))))
        (v128.store (i32.add (local.get $o) (local.get $plane)) (local.get $cur))
        (local.set $v (v128.load (local.get $o)))
        (local.set $r (v128.load (i32.add (local.get $o) (i32.mul (local.get $plane) (i32.const 2)))))
        (local.set $inref (f32x4.gt (local.get $r) (f32x4.splat (f32.const 0))))
        (local.set $cand (f32x4.add (f32x4.mul (f32x4.splat (local.get $am)) (local.get $v))
          (f32x4.mul (f32x4.sub (f32x4.splat (f32.const 1)) (f32x4.splat (local.get $am)))
            (f32x4.add (local.get $cur) (local.get $bi)))))
        (local.set $fire (v128.andnot (f32x4.ge (local.get $cand) (f32x4.splat (local.get $theta))) (local.get $inref)))
        (v128.store (local.get $o)
          (v128.bitselect (f32x4.splat (local.get $reset)) (local.get $cand) (v128.or (local.get $inref) (local.get $fire))))
        (v128.store (i32.add (local.get $o) (i32.mul (local.get $plane) (i32.const 2)))
          (v128.bitselect (f32x4.sub (local.get $r) (f32x4.splat (f32.const 1)))
            (v128.bitselect (f32x4.splat (local.get $tref)) (local.get $r) (local.get $fire))
            (local.get $inref)))
        (local.set $s (v128.and (local.get $fire) (f32x4.splat (f32.const 1))))
        (v128.store (i32.add (local.get $o) (i32.mul (local.get $plane) (i32.const 3))) (local.get $s))
        (v128.store (i32.add (local.get $o) (i32.mul (local.get $plane) (i32.const 4)))
          (f32x4.add (f32x4.mul (f32x4.splat (local.get $at)) (v128.load (i32.add (local.get $o) (i32.mul (local.get $plane) (i32.const 4)))))
            (f32x4.mul (f32x4.sub (f32x4.splat (f32.const 1)) (f32x4.splat (local.get $at))) (local.get $s))))
        (local.set $b (i32.add (local.get $b) (i32.const 16)))
        (br $streams)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $units))))

  ;; out[t][b] = c[t][b] + Σ_f w[t][f][b]·feat[f][b]
  (func (export "readout") (param $features i32) (param $rowBytes i32) (param $targets i32) (param $w i32)
                           (param $c i32) (param $feat i32) (param $out i32)
    (local $t i32) (local $f i32) (local $b i32) (local $acc v128) (local $wrow i32)
    (block $tdone (loop $targetsLoop
      (br_if $tdone (i32.ge_u (local.get $t) (local.get $targets)))
      (local.set $b (i32.const 0))
      (block $bdone (loop $streams
        (br_if $bdone (i32.ge_u (local.get $b) (local.get $rowBytes)))
        (local.set $acc (v128.load (i32.add (i32.add (local.get $c) (i32.mul (local.get $t) (local.get $rowBytes))) (local.get $b))))
        (local.set $wrow (i32.add (local.get $w) (i32.mul (i32.mul (local.get $t) (local.get $features)) (local.get $rowBytes))))
        (local.set $f (i32.const 0))
        (block $fdone (loop $feats
          (br_if $fdone (i32.ge_u (local.get $f) (local.get $features)))
          (local.set $acc (f32x4.add (local.get $acc)
            (f32x4.mul (v128.load (i32.add (i32.add (local.get $wrow) (i32.mul (local.get $f) (local.get $rowBytes))) (local.get $b)))
                       (v128.load (i32.add (i32.add (local.get $feat) (i32.mul (local.get $f) (local.get $rowBytes))) (local.get $b))))))
          (local.set $f (i32.add (local.get $f) (i32.const 1)))
          (br $feats)))
        (v128.store (i32.add (i32.add (local.get $out) (i32.mul (local.get $t) (local.get $rowBytes))) (local.get $b)) (local.get $acc))
        (local.set $b (i32.add (local.get $b) (i32.const 16)))
        (br $streams)))
      (local.set $t (i32.add (local.get $t) (i32.const 1)))
      (br $targetsLoop))))
)
`;
