;; Creates the directory "newdir" in its first preopen (fd 3) and exits with the WASI errno (0 on success).
(module
  (import "wasi_snapshot_preview1" "path_create_directory" (func $mkdir (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "newdir")
  (func (export "_start")
    (call $exit (call $mkdir (i32.const 3) (i32.const 0) (i32.const 6)))))
