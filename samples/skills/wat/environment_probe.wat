;; Probe: writes 32 raw bytes to stdout: realtime clock (i64), monotonic clock (i64),
;; argc, argv buffer size, environment count, environment buffer size (i32 each).
;; The sandbox grants no clock, arguments or environment, so all of it must be zero.
(module
  (import "wasi_snapshot_preview1" "clock_time_get" (func $clock (param i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_sizes_get" (func $env (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 64) "\00\00\00\00\20\00\00\00") ;; iovec {buf=0, len=32}
  (func (export "_start")
    (drop (call $clock (i32.const 0) (i64.const 1) (i32.const 0)))
    (drop (call $clock (i32.const 1) (i64.const 1) (i32.const 8)))
    (drop (call $args (i32.const 16) (i32.const 20)))
    (drop (call $env (i32.const 24) (i32.const 28)))
    (drop (call $fd_write (i32.const 1) (i32.const 64) (i32.const 1) (i32.const 80)))))
