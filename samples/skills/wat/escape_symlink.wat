;; Hostile: plants a symlink to a host path inside the first preopened directory (fd 3),
;; then opens it.
(module
  (import "wasi_snapshot_preview1" "path_symlink"
    (func $path_symlink (param i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "/etc/passwd")
  (data (i32.const 32) "link")
  (func (export "_start")
    (drop (call $path_symlink (i32.const 16) (i32.const 11) (i32.const 3) (i32.const 32) (i32.const 4)))
    (call $proc_exit
      (call $path_open (i32.const 3) (i32.const 1) (i32.const 32) (i32.const 4)
        (i32.const 0) (i64.const -1) (i64.const -1) (i32.const 0) (i32.const 0)))))
