;; In-place Cholesky factorisation of the row-major n × n matrix at `a` (see cholesky.ts: the same row-oriented,
;; dot-product algorithm, Golub & Van Loan Algorithm 4.2.1, with the dot products in f64x2 lanes and two vector
;; partial sums). Returns 1, or 0 when a pivot is not positive.
(module
  (memory (export "memory") 1)
  (func (export "cholesky") (param $a i32) (param $n i32) (result i32)
    (local $i i32) (local $j i32) (local $k i32) (local $ri i32) (local $rj i32) (local $rowBytes i32)
    (local $jb i32) (local $j4 i32) (local $s f64) (local $acc0 v128) (local $acc1 v128)
    (local.set $rowBytes (i32.shl (local.get $n) (i32.const 3)))
    (local.set $i (i32.const 0))
    (block $iend
      (loop $iloop
        (br_if $iend (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $ri (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $rowBytes))))
        (local.set $j (i32.const 0))
        (block $jend
          (loop $jloop
            (br_if $jend (i32.gt_u (local.get $j) (local.get $i)))
            (local.set $rj (i32.add (local.get $a) (i32.mul (local.get $j) (local.get $rowBytes))))
            (local.set $jb (i32.shl (local.get $j) (i32.const 3)))
            (local.set $j4 (i32.shl (i32.and (local.get $j) (i32.const -4)) (i32.const 3)))
            (local.set $acc0 (v128.const f64x2 0 0))
            (local.set $acc1 (v128.const f64x2 0 0))
            (local.set $k (i32.const 0))
            (block $kend
              (loop $kloop
                (br_if $kend (i32.ge_u (local.get $k) (local.get $j4)))
                (local.set $acc0
                  (f64x2.add (local.get $acc0)
                    (f64x2.mul (v128.load (i32.add (local.get $ri) (local.get $k)))
                      (v128.load (i32.add (local.get $rj) (local.get $k))))))
                (local.set $acc1
                  (f64x2.add (local.get $acc1)
                    (f64x2.mul (v128.load offset=16 (i32.add (local.get $ri) (local.get $k)))
                      (v128.load offset=16 (i32.add (local.get $rj) (local.get $k))))))
                (local.set $k (i32.add (local.get $k) (i32.const 32)))
                (br $kloop)))
            (local.set $acc0 (f64x2.add (local.get $acc0) (local.get $acc1)))
            (local.set $s
              (f64.sub (f64.load (i32.add (local.get $ri) (local.get $jb)))
                (f64.add (f64x2.extract_lane 0 (local.get $acc0)) (f64x2.extract_lane 1 (local.get $acc0)))))
            (block $tend
              (loop $tloop
                (br_if $tend (i32.ge_u (local.get $k) (local.get $jb)))
                (local.set $s
                  (f64.sub (local.get $s)
                    (f64.mul (f64.load (i32.add (local.get $ri) (local.get $k)))
                      (f64.load (i32.add (local.get $rj) (local.get $k))))))
                (local.set $k (i32.add (local.get $k) (i32.const 8)))
                (br $tloop)))
            (if (i32.eq (local.get $i) (local.get $j))
              (then
                (if (i32.eqz (f64.gt (local.get $s) (f64.const 0))) (then (return (i32.const 0))))
                (f64.store (i32.add (local.get $ri) (local.get $jb)) (f64.sqrt (local.get $s))))
              (else
                (f64.store (i32.add (local.get $ri) (local.get $jb))
                  (f64.div (local.get $s) (f64.load (i32.add (local.get $rj) (local.get $jb)))))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $jloop)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $iloop)))
    (i32.const 1)))
