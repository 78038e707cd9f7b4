; The process's pool of threads for parallel loops (ThreadPool.java). Compiled by the JIT the first time an
; object that calls @numbat_parallel_for is linked; never unloaded, since its threads outlive every call.
;
; Filled in by ThreadPool: @WORKERS@ (threads besides the caller), @SPIN_NANOS@ (how long an idle thread, or
; a caller waiting for the last chunks, spins before it sleeps on a condition variable), @PAUSE@ (the CPU's
; spin-wait hint, or nothing).
;
; One call owns the pool at a time (@busy); a call that finds it owned runs all its chunks itself, which is
; correct, only slower. The owner publishes a job (function, tasks, stride, count) and a new generation in
; @ticket, whose low 16 bits are the next chunk to claim (chunks are at most 1,024). Threads claim chunks
; with a compare-and-swap on the whole ticket, so a thread that read a job and then fell behind can never
; claim a chunk of the next one: its swap fails once the generation has moved on. @pending counts chunks
; not yet finished; the owner returns only when it reaches zero, so every write of every chunk is done and
; visible (sequentially consistent atomics) before the call returns to Java.

@busy = internal global i32 0, align 4
@started = internal global i32 0, align 4   ; 0 not yet, 1 workers running, 2 none could be started
@ticket = internal global i64 0, align 8    ; generation << 16 | next chunk
@pending = internal global i64 0, align 8
; Threads asleep on @work, and whether the owner sleeps on @done: a job's start and end only lock and signal when
; somebody sleeps. Each side stores its flag, then reads the other's (all sequentially consistent), so one of the
; two always sees the other: a thread about to sleep sees the new job, or the owner sees the sleeper.
@sleepers = internal global i32 0, align 4
@owner.sleeps = internal global i32 0, align 4
@job.fn = internal global ptr null, align 8
@job.tasks = internal global ptr null, align 8
@job.stride = internal global i64 0, align 8
@job.count = internal global i64 0, align 8
; Room for a pthread_mutex_t and two pthread_cond_t (40 and 48 bytes on glibc), set up by their init calls.
@lock = internal global [128 x i8] zeroinitializer, align 16
@work = internal global [128 x i8] zeroinitializer, align 16
@done = internal global [128 x i8] zeroinitializer, align 16

declare i32 @pthread_mutex_init(ptr, ptr) nounwind
declare i32 @pthread_mutex_lock(ptr) nounwind
declare i32 @pthread_mutex_unlock(ptr) nounwind
declare i32 @pthread_cond_init(ptr, ptr) nounwind
declare i32 @pthread_cond_wait(ptr, ptr) nounwind
declare i32 @pthread_cond_broadcast(ptr) nounwind
declare i32 @pthread_create(ptr, ptr, ptr, ptr) nounwind
declare i32 @pthread_detach(i64) nounwind
declare i32 @clock_gettime(i32, ptr) nounwind
declare i64 @pthread_self() nounwind
declare i32 @sigfillset(ptr) nounwind
declare i32 @pthread_sigmask(i32, ptr, ptr) nounwind
declare i32 @pthread_setname_np(i64, ptr) nounwind

@name = internal constant [12 x i8] c"numbat-pool\00"

; Runs fn(tasks + k * stride) for every k in [0, count), with the calling thread taking part.
define void @numbat_parallel_for(ptr %fn, ptr %tasks, i64 %stride, i64 %count) nounwind {
entry:
  %many = icmp ugt i64 %count, 1
  br i1 %many, label %try, label %alone
try:
  %cas = cmpxchg ptr @busy, i32 0, i32 1 seq_cst seq_cst, align 4
  %owned = extractvalue { i32, i1 } %cas, 1
  br i1 %owned, label %owner, label %alone
alone:
  call void @run_all(ptr %fn, ptr %tasks, i64 %stride, i64 %count)
  ret void
owner:
  %state = load i32, ptr @started, align 4
  %unstarted = icmp eq i32 %state, 0
  br i1 %unstarted, label %start, label %check
start:
  call void @start_workers()
  br label %check
check:
  %state2 = load i32, ptr @started, align 4
  %running = icmp eq i32 %state2, 1
  br i1 %running, label %share, label %solo
solo:
  call void @run_all(ptr %fn, ptr %tasks, i64 %stride, i64 %count)
  store atomic i32 0, ptr @busy seq_cst, align 4
  ret void
share:
  store atomic ptr %fn, ptr @job.fn monotonic, align 8
  store atomic ptr %tasks, ptr @job.tasks monotonic, align 8
  store atomic i64 %stride, ptr @job.stride monotonic, align 8
  store atomic i64 %count, ptr @job.count monotonic, align 8
  store atomic i64 %count, ptr @pending seq_cst, align 8
  %t = load atomic i64, ptr @ticket seq_cst, align 8
  %g = lshr i64 %t, 16
  %g1 = add i64 %g, 1
  %t1 = shl i64 %g1, 16
  store atomic i64 %t1, ptr @ticket seq_cst, align 8
  %asleep = load atomic i32, ptr @sleepers seq_cst, align 4
  %wake = icmp ne i32 %asleep, 0
  br i1 %wake, label %signal, label %work
signal:
  call i32 @pthread_mutex_lock(ptr @lock)
  call i32 @pthread_cond_broadcast(ptr @work)
  call i32 @pthread_mutex_unlock(ptr @lock)
  br label %work
work:
  call void @claim(i64 %g1, ptr %fn, ptr %tasks, i64 %stride, i64 %count)
  call void @wait_done()
  store atomic i32 0, ptr @busy seq_cst, align 4
  ret void
}

define internal void @run_all(ptr %fn, ptr %tasks, i64 %stride, i64 %count) nounwind {
entry:
  br label %head
head:
  %k = phi i64 [ 0, %entry ], [ %k1, %body ]
  %more = icmp ult i64 %k, %count
  br i1 %more, label %body, label %out
body:
  %offset = mul i64 %k, %stride
  %task = getelementptr i8, ptr %tasks, i64 %offset
  call ptr %fn(ptr %task)
  %k1 = add i64 %k, 1
  br label %head
out:
  ret void
}

; Claims and runs chunks of generation %gen until none is left or the generation has moved on.
define internal void @claim(i64 %gen, ptr %fn, ptr %tasks, i64 %stride, i64 %count) nounwind {
entry:
  br label %head
head:
  %t = load atomic i64, ptr @ticket seq_cst, align 8
  %g = lshr i64 %t, 16
  %same = icmp eq i64 %g, %gen
  br i1 %same, label %index, label %out
index:
  %k = and i64 %t, 65535
  %left = icmp ult i64 %k, %count
  br i1 %left, label %take, label %out
take:
  %t1 = add i64 %t, 1
  %cas = cmpxchg ptr @ticket, i64 %t, i64 %t1 seq_cst seq_cst, align 8
  %won = extractvalue { i64, i1 } %cas, 1
  br i1 %won, label %run, label %head
run:
  %offset = mul i64 %k, %stride
  %task = getelementptr i8, ptr %tasks, i64 %offset
  call ptr %fn(ptr %task)
  %before = atomicrmw sub ptr @pending, i64 1 seq_cst, align 8
  %last = icmp eq i64 %before, 1
  br i1 %last, label %finished, label %head
finished:
  %waits = load atomic i32, ptr @owner.sleeps seq_cst, align 4
  %wake = icmp ne i32 %waits, 0
  br i1 %wake, label %signal, label %head
signal:
  call i32 @pthread_mutex_lock(ptr @lock)
  call i32 @pthread_cond_broadcast(ptr @done)
  call i32 @pthread_mutex_unlock(ptr @lock)
  br label %head
out:
  ret void
}

; The owner, its own chunks done, waits for those other threads still run.
define internal void @wait_done() nounwind {
entry:
  %now = call i64 @now()
  %deadline = add i64 %now, @SPIN_NANOS@
  br label %spin
spin:
  %p = load atomic i64, ptr @pending seq_cst, align 8
  %finished = icmp eq i64 %p, 0
  br i1 %finished, label %out, label %pause
pause:
  @PAUSE@
  %later = call i64 @now()
  %late = icmp sgt i64 %later, %deadline
  br i1 %late, label %sleep, label %spin
sleep:
  call i32 @pthread_mutex_lock(ptr @lock)
  store atomic i32 1, ptr @owner.sleeps seq_cst, align 4
  br label %check
check:
  %p2 = load atomic i64, ptr @pending seq_cst, align 8
  %finished2 = icmp eq i64 %p2, 0
  br i1 %finished2, label %wake, label %wait
wait:
  call i32 @pthread_cond_wait(ptr @done, ptr @lock)
  br label %check
wake:
  store atomic i32 0, ptr @owner.sleeps seq_cst, align 4
  call i32 @pthread_mutex_unlock(ptr @lock)
  br label %out
out:
  ret void
}

; A worker, named numbat-pool (top -H, /proc/<pid>/task/*/comm): waits for a new generation (spinning a while, then asleep), takes part in its job, and again.
define internal ptr @worker(ptr %first) nounwind {
entry:
  ; Signals sent to the process (SIGQUIT for a thread dump, SIGTERM) go to the JVM's threads, never to this one
  ; (0 is SIG_BLOCK; 128 bytes hold a sigset_t).
  %signals = alloca [128 x i8], align 8
  call i32 @sigfillset(ptr %signals)
  call i32 @pthread_sigmask(i32 0, ptr %signals, ptr null)
  %self = call i64 @pthread_self()
  call i32 @pthread_setname_np(i64 %self, ptr @name)
  %g0 = ptrtoint ptr %first to i64
  br label %idle
idle:
  %seen = phi i64 [ %g0, %entry ], [ %g, %go ]
  %now = call i64 @now()
  %deadline = add i64 %now, @SPIN_NANOS@
  br label %spin
spin:
  %t = load atomic i64, ptr @ticket seq_cst, align 8
  %gt = lshr i64 %t, 16
  %posted = icmp ne i64 %gt, %seen
  br i1 %posted, label %go, label %pause
pause:
  @PAUSE@
  %later = call i64 @now()
  %late = icmp sgt i64 %later, %deadline
  br i1 %late, label %sleep, label %spin
sleep:
  call i32 @pthread_mutex_lock(ptr @lock)
  atomicrmw add ptr @sleepers, i32 1 seq_cst, align 4
  br label %check
check:
  %t2 = load atomic i64, ptr @ticket seq_cst, align 8
  %g2 = lshr i64 %t2, 16
  %same = icmp eq i64 %g2, %seen
  br i1 %same, label %wait, label %wake
wait:
  call i32 @pthread_cond_wait(ptr @work, ptr @lock)
  br label %check
wake:
  atomicrmw sub ptr @sleepers, i32 1 seq_cst, align 4
  call i32 @pthread_mutex_unlock(ptr @lock)
  br label %go
go:
  %t3 = load atomic i64, ptr @ticket seq_cst, align 8
  %g = lshr i64 %t3, 16
  %fn = load atomic ptr, ptr @job.fn monotonic, align 8
  %tasks = load atomic ptr, ptr @job.tasks monotonic, align 8
  %stride = load atomic i64, ptr @job.stride monotonic, align 8
  %count = load atomic i64, ptr @job.count monotonic, align 8
  call void @claim(i64 %g, ptr %fn, ptr %tasks, i64 %stride, i64 %count)
  br label %idle
}

; Called by the first owner only: the lock, the conditions and @WORKERS@ detached threads.
define internal void @start_workers() nounwind {
entry:
  %id = alloca i64, align 8
  call i32 @pthread_mutex_init(ptr @lock, ptr null)
  call i32 @pthread_cond_init(ptr @work, ptr null)
  call i32 @pthread_cond_init(ptr @done, ptr null)
  %t = load atomic i64, ptr @ticket seq_cst, align 8
  %g = lshr i64 %t, 16
  %first = inttoptr i64 %g to ptr
  br label %head
head:
  %k = phi i32 [ 0, %entry ], [ %k1, %next ]
  %made = phi i32 [ 0, %entry ], [ %made1, %next ]
  %more = icmp slt i32 %k, @WORKERS@
  br i1 %more, label %create, label %out
create:
  %rc = call i32 @pthread_create(ptr %id, ptr null, ptr @worker, ptr %first)
  %ok = icmp eq i32 %rc, 0
  br i1 %ok, label %detach, label %next
detach:
  %thread = load i64, ptr %id, align 8
  call i32 @pthread_detach(i64 %thread)
  %made.plus = add i32 %made, 1
  br label %next
next:
  %made1 = phi i32 [ %made, %create ], [ %made.plus, %detach ]
  %k1 = add i32 %k, 1
  br label %head
out:
  %any = icmp sgt i32 %made, 0
  %state = select i1 %any, i32 1, i32 2
  store i32 %state, ptr @started, align 4
  ret void
}

; CLOCK_MONOTONIC in nanoseconds.
define internal i64 @now() nounwind {
entry:
  %ts = alloca { i64, i64 }, align 8
  call i32 @clock_gettime(i32 1, ptr %ts)
  %s = load i64, ptr %ts, align 8
  %nsp = getelementptr { i64, i64 }, ptr %ts, i32 0, i32 1
  %ns = load i64, ptr %nsp, align 8
  %sn = mul i64 %s, 1000000000
  %r = add i64 %sn, %ns
  ret i64 %r
}
