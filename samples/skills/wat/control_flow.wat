;; Legitimate: exercises the control flow the fuel rewriter must preserve (recursion, if/else
;; with results, br_table, call_indirect, multi-value blocks, early return, memory.grow) and
;; writes the i64 result as 8 little-endian bytes to stdout.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1 4)
  (type $unary (func (param i64) (result i64)))
  (table 2 2 funcref)
  (elem (i32.const 0) $double $fib)
  (func $fib (type $unary)
    (if (result i64) (i64.lt_u (local.get 0) (i64.const 2))
      (then (local.get 0))
      (else (i64.add (call $fib (i64.sub (local.get 0) (i64.const 1)))
                     (call $fib (i64.sub (local.get 0) (i64.const 2)))))))
  (func $double (type $unary) (i64.add (local.get 0) (local.get 0)))
  (func $pick (param $k i32) (result i64)
    (block $c (block $b (block $a
      (br_table $a $b $c (local.get $k)))
      (return (i64.const 100)))
      (return (i64.const 200)))
    (i64.const 300))
  (func $swap (param i64 i64) (result i64 i64) (local.get 1) (local.get 0))
  (func $sum (param $n i32) (result i64)
    (local $acc i64)
    (loop $again
      (if (i32.eqz (local.get $n)) (then (return (local.get $acc))))
      (local.set $acc (i64.add (local.get $acc)
        (if (result i64) (i32.and (local.get $n) (i32.const 1))
          (then (call $pick (i32.rem_u (local.get $n) (i32.const 3))))
          (else (call_indirect (type $unary) (i64.extend_i32_u (local.get $n)) (i32.const 0))))))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $again))
    (unreachable))
  (func (export "_start")
    (local $r i64)
    (local.set $r (call_indirect (type $unary) (i64.const 20) (i32.const 1)))   ;; fib(20) = 6765
    (local.set $r (i64.add (local.get $r) (call $sum (i32.const 1000))))
    (local.get $r) (i64.const 7)
    (block (param i64 i64) (result i64)
      (call $swap)
      (i64.sub))
    (local.set $r)
    (drop (memory.grow (i32.const 1)))                                              ;; allowed: 1 -> 2 pages
    (local.set $r (i64.add (local.get $r) (i64.extend_i32_s (memory.grow (i32.const 10)))))  ;; refused: -1
    (i64.store (i32.const 0) (local.get $r))
    (i32.store (i32.const 16) (i32.const 0))
    (i32.store (i32.const 20) (i32.const 8))
    (drop (call $fd_write (i32.const 1) (i32.const 16) (i32.const 1) (i32.const 24)))))
