;; Hostile: spins forever. Must be stopped by fuel (when the token sets a budget) or by the deadline.
(module
  (memory (export "memory") 1)
  (func (export "_start")
    (loop $forever
      br $forever)))
