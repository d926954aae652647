;; XᵀX of feature-major columns, the hot loop of the readout fit (see gram-kernel.ts for the contract).
;; For every tile of 4 features (i … i+3) × 2 features (j, j+1) with j ≥ i it sums x_i(t)·x_j(t) over the rows,
;; two rows at a time in f64x2 lanes, and adds each sum into the packed upper triangle at `out` (entries below the
;; diagonal are skipped). Columns start at `cols`, column i at cols + 8·i·stride; rows past `rows` up to the next
;; even count must be zero. Features from f − f mod 4 (as i) and from f − f mod 2 (as j) are left to the caller.
(module
  (memory (export "memory") 1)
  (func $put (param $out i32) (param $f i32) (param $i i32) (param $j i32) (param $v v128)
    (local $addr i32)
    (if (i32.ge_u (local.get $j) (local.get $i))
      (then
        (local.set $addr
          (i32.add (local.get $out)
            (i32.shl
              (i32.add
                (i32.shr_u
                  (i32.mul (local.get $i)
                    (i32.sub (i32.add (i32.shl (local.get $f) (i32.const 1)) (i32.const 1)) (local.get $i)))
                  (i32.const 1))
                (i32.sub (local.get $j) (local.get $i)))
              (i32.const 3))))
        (f64.store (local.get $addr)
          (f64.add (f64.load (local.get $addr))
            (f64.add (f64x2.extract_lane 0 (local.get $v)) (f64x2.extract_lane 1 (local.get $v))))))))
  (func (export "gram") (param $cols i32) (param $f i32) (param $stride i32) (param $rows i32) (param $out i32)
    (local $i i32) (local $j i32) (local $t i32) (local $f4 i32) (local $f2 i32) (local $sb i32) (local $end i32)
    (local $a0 i32) (local $a1 i32) (local $a2 i32) (local $a3 i32) (local $b0 i32) (local $b1 i32)
    (local $x0 v128) (local $x1 v128) (local $x2 v128) (local $x3 v128) (local $y0 v128) (local $y1 v128)
    (local $s00 v128) (local $s01 v128) (local $s10 v128) (local $s11 v128) (local $s20 v128) (local $s21 v128) (local $s30 v128) (local $s31 v128)
    (local.set $sb (i32.shl (local.get $stride) (i32.const 3)))
    (local.set $end (i32.shl (i32.and (i32.add (local.get $rows) (i32.const 1)) (i32.const -2)) (i32.const 3)))
    (local.set $f4 (i32.and (local.get $f) (i32.const -4)))
    (local.set $f2 (i32.and (local.get $f) (i32.const -2)))
    (local.set $i (i32.const 0))
    (block $iend
      (loop $iloop
        (br_if $iend (i32.ge_u (local.get $i) (local.get $f4)))
        (local.set $a0 (i32.add (local.get $cols) (i32.mul (local.get $i) (local.get $sb))))
        (local.set $a1 (i32.add (local.get $a0) (local.get $sb)))
        (local.set $a2 (i32.add (local.get $a1) (local.get $sb)))
        (local.set $a3 (i32.add (local.get $a2) (local.get $sb)))
        (local.set $j (local.get $i))
        (block $jend
          (loop $jloop
            (br_if $jend (i32.ge_u (local.get $j) (local.get $f2)))
            (local.set $b0 (i32.add (local.get $cols) (i32.mul (local.get $j) (local.get $sb))))
            (local.set $b1 (i32.add (local.get $b0) (local.get $sb)))
          (local.set $s00 (v128.const f64x2 0 0))
          (local.set $s01 (v128.const f64x2 0 0))
          (local.set $s10 (v128.const f64x2 0 0))
          (local.set $s11 (v128.const f64x2 0 0))
          (local.set $s20 (v128.const f64x2 0 0))
          (local.set $s21 (v128.const f64x2 0 0))
          (local.set $s30 (v128.const f64x2 0 0))
          (local.set $s31 (v128.const f64x2 0 0))
            (local.set $t (i32.const 0))
            (block $tend
              (loop $tloop
                (br_if $tend (i32.ge_u (local.get $t) (local.get $end)))
            (local.set $x0 (v128.load (i32.add (local.get $a0) (local.get $t))))
            (local.set $x1 (v128.load (i32.add (local.get $a1) (local.get $t))))
            (local.set $x2 (v128.load (i32.add (local.get $a2) (local.get $t))))
            (local.set $x3 (v128.load (i32.add (local.get $a3) (local.get $t))))
            (local.set $y0 (v128.load (i32.add (local.get $b0) (local.get $t))))
            (local.set $y1 (v128.load (i32.add (local.get $b1) (local.get $t))))
            (local.set $s00 (f64x2.add (local.get $s00) (f64x2.mul (local.get $x0) (local.get $y0))))
            (local.set $s01 (f64x2.add (local.get $s01) (f64x2.mul (local.get $x0) (local.get $y1))))
            (local.set $s10 (f64x2.add (local.get $s10) (f64x2.mul (local.get $x1) (local.get $y0))))
            (local.set $s11 (f64x2.add (local.get $s11) (f64x2.mul (local.get $x1) (local.get $y1))))
            (local.set $s20 (f64x2.add (local.get $s20) (f64x2.mul (local.get $x2) (local.get $y0))))
            (local.set $s21 (f64x2.add (local.get $s21) (f64x2.mul (local.get $x2) (local.get $y1))))
            (local.set $s30 (f64x2.add (local.get $s30) (f64x2.mul (local.get $x3) (local.get $y0))))
            (local.set $s31 (f64x2.add (local.get $s31) (f64x2.mul (local.get $x3) (local.get $y1))))
                (local.set $t (i32.add (local.get $t) (i32.const 16)))
                (br $tloop)))
          (call $put (local.get $out) (local.get $f) (i32.add (local.get $i) (i32.const 0)) (i32.add (local.get $j) (i32.const 0)) (local.get $s00))
          (call $put (local.get $out) (local.get $f) (i32.add (local.get $i) (i32.const 0)) (i32.add (local.get $j) (i32.const 1)) (local.get $s01))
          (call $put (local.get $out) (local.get $f) (i32.add (local.get $i) (i32.const 1)) (i32.add (local.get $j) (i32.const 0)) (local.get $s10))
          (call $put (local.get $out) (local.get $f) (i32.add (local.get $i) (i32.const 1)) (i32.add (local.get $j) (i32.const 1)) (local.get $s11))
          (call $put (local.get $out) (local.get $f) (i32.add (local.get $i) (i32.const 2)) (i32.add (local.get $j) (i32.const 0)) (local.get $s20))
          (call $put (local.get $out) (local.get $f) (i32.add (local.get $i) (i32.const 2)) (i32.add (local.get $j) (i32.const 1)) (local.get $s21))
          (call $put (local.get $out) (local.get $f) (i32.add (local.get $i) (i32.const 3)) (i32.add (local.get $j) (i32.const 0)) (local.get $s30))
          (call $put (local.get $out) (local.get $f) (i32.add (local.get $i) (i32.const 3)) (i32.add (local.get $j) (i32.const 1)) (local.get $s31))
            (local.set $j (i32.add (local.get $j) (i32.const 2)))
            (br $jloop)))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $iloop)))))
