;; The float32 variant of gram-panel-kernel.wat (same contract and loop; see gram-panel.ts): records hold 4 rows of
;; 4 columns as f32x4, products and the sums over one panel are f32x4 (twice the lanes of f64x2), and each tile's
;; sums are widened to float64 before they are added into the float64 triangle, so float32 rounding accumulates
;; over at most a panel's rows / 4 terms per lane.
;; Layout: blocks of 4 columns, `blockBytes` apart; record p (64 bytes) holds rows 4p … 4p+3 of column k at byte
;; 16·k. Tiles, skipping and the triangle as in gram-panel-kernel.wat. Requires quads ≥ 1.
(module
  (memory (export "memory") 1)
  (func $put (param $out i32) (param $n i32) (param $i i32) (param $j i32) (param $v v128)
    (local $addr i32)
    (if (i32.and (i32.ge_u (local.get $j) (local.get $i)) (i32.lt_u (local.get $j) (local.get $n)))
      (then
        (local.set $addr
          (i32.add (local.get $out)
            (i32.shl
              (i32.add
                (i32.shr_u
                  (i32.mul (local.get $i)
                    (i32.sub (i32.add (i32.shl (local.get $n) (i32.const 1)) (i32.const 1)) (local.get $i)))
                  (i32.const 1))
                (i32.sub (local.get $j) (local.get $i)))
              (i32.const 3))))
        (f64.store (local.get $addr)
          (f64.add (f64.load (local.get $addr))
            (f64.add
              (f64.add (f64.promote_f32 (f32x4.extract_lane 0 (local.get $v)))
                (f64.promote_f32 (f32x4.extract_lane 1 (local.get $v))))
              (f64.add (f64.promote_f32 (f32x4.extract_lane 2 (local.get $v)))
                (f64.promote_f32 (f32x4.extract_lane 3 (local.get $v))))))))))
  (func (export "gram") (param $panel i32) (param $blocks i32) (param $blockBytes i32) (param $quads i32)
    (param $order i32) (param $out i32)
    (local $b i32) (local $j i32) (local $i i32) (local $pi i32) (local $pj i32) (local $end i32) (local $span i32)
    (local $x0 v128) (local $x1 v128) (local $x2 v128) (local $x3 v128) (local $y0 v128) (local $y1 v128)
    (local $s00 v128) (local $s01 v128) (local $s10 v128) (local $s11 v128) (local $s20 v128) (local $s21 v128) (local $s30 v128) (local $s31 v128)
    (local.set $span (i32.shl (local.get $quads) (i32.const 6)))
    (local.set $b (i32.const 0))
    (block $bend
      (loop $bloop
        (br_if $bend (i32.ge_u (local.get $b) (local.get $blocks)))
        (local.set $i (i32.shl (local.get $b) (i32.const 2)))
        (local.set $j (local.get $i))
        (block $jend
          (loop $jloop
            (br_if $jend (i32.ge_u (local.get $j) (i32.shl (local.get $blocks) (i32.const 2))))
            (local.set $pi (i32.add (local.get $panel) (i32.mul (local.get $b) (local.get $blockBytes))))
            (local.set $end (i32.add (local.get $pi) (local.get $span)))
            (local.set $pj
              (i32.add
                (i32.add (local.get $panel) (i32.mul (i32.shr_u (local.get $j) (i32.const 2)) (local.get $blockBytes)))
                (i32.shl (i32.and (local.get $j) (i32.const 2)) (i32.const 4))))
            (local.set $s00 (v128.const f32x4 0 0 0 0))
            (local.set $s01 (v128.const f32x4 0 0 0 0))
            (local.set $s10 (v128.const f32x4 0 0 0 0))
            (local.set $s11 (v128.const f32x4 0 0 0 0))
            (local.set $s20 (v128.const f32x4 0 0 0 0))
            (local.set $s21 (v128.const f32x4 0 0 0 0))
            (local.set $s30 (v128.const f32x4 0 0 0 0))
            (local.set $s31 (v128.const f32x4 0 0 0 0))
            (loop $tloop
              (local.set $y0 (v128.load (local.get $pj)))
              (local.set $y1 (v128.load offset=16 (local.get $pj)))
              (local.set $x0 (v128.load (local.get $pi)))
              (local.set $s00 (f32x4.add (local.get $s00) (f32x4.mul (local.get $x0) (local.get $y0))))
              (local.set $s01 (f32x4.add (local.get $s01) (f32x4.mul (local.get $x0) (local.get $y1))))
              (local.set $x1 (v128.load offset=16 (local.get $pi)))
              (local.set $s10 (f32x4.add (local.get $s10) (f32x4.mul (local.get $x1) (local.get $y0))))
              (local.set $s11 (f32x4.add (local.get $s11) (f32x4.mul (local.get $x1) (local.get $y1))))
              (local.set $x2 (v128.load offset=32 (local.get $pi)))
              (local.set $s20 (f32x4.add (local.get $s20) (f32x4.mul (local.get $x2) (local.get $y0))))
              (local.set $s21 (f32x4.add (local.get $s21) (f32x4.mul (local.get $x2) (local.get $y1))))
              (local.set $x3 (v128.load offset=48 (local.get $pi)))
              (local.set $s30 (f32x4.add (local.get $s30) (f32x4.mul (local.get $x3) (local.get $y0))))
              (local.set $s31 (f32x4.add (local.get $s31) (f32x4.mul (local.get $x3) (local.get $y1))))
              (local.set $pi (i32.add (local.get $pi) (i32.const 64)))
              (local.set $pj (i32.add (local.get $pj) (i32.const 64)))
              (br_if $tloop (i32.lt_u (local.get $pi) (local.get $end))))
            (call $put (local.get $out) (local.get $order) (local.get $i) (local.get $j) (local.get $s00))
            (call $put (local.get $out) (local.get $order) (local.get $i) (i32.add (local.get $j) (i32.const 1)) (local.get $s01))
            (call $put (local.get $out) (local.get $order) (i32.add (local.get $i) (i32.const 1)) (local.get $j) (local.get $s10))
            (call $put (local.get $out) (local.get $order) (i32.add (local.get $i) (i32.const 1)) (i32.add (local.get $j) (i32.const 1)) (local.get $s11))
            (call $put (local.get $out) (local.get $order) (i32.add (local.get $i) (i32.const 2)) (local.get $j) (local.get $s20))
            (call $put (local.get $out) (local.get $order) (i32.add (local.get $i) (i32.const 2)) (i32.add (local.get $j) (i32.const 1)) (local.get $s21))
            (call $put (local.get $out) (local.get $order) (i32.add (local.get $i) (i32.const 3)) (local.get $j) (local.get $s30))
            (call $put (local.get $out) (local.get $order) (i32.add (local.get $i) (i32.const 3)) (i32.add (local.get $j) (i32.const 1)) (local.get $s31))
            (local.set $j (i32.add (local.get $j) (i32.const 2)))
            (br $jloop)))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br $bloop)))))
