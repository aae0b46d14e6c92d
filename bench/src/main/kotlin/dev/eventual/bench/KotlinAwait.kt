package dev.eventual.bench

import java.util.concurrent.ExecutorService
import java.util.concurrent.Executors
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.asCoroutineDispatcher
import kotlinx.coroutines.launch
import kotlinx.coroutines.CoroutineScope

/**
 * The Kotlin coroutines peer of [Await] and [AwaitMillion]: a coroutine on a single-thread
 * dispatcher (its own executor thread, as an Eventual loop has its own thread) suspends on a
 * pending [CompletableDeferred] that a task of the same thread completes, and resumes when the
 * dispatcher runs its continuation. Called from Java; each call hands one batch to the
 * dispatcher and runs `done` (the benchmark's Done.signal) at its end, as the Eventual columns signal.
 */
class KotlinAwait {
    private val executor: ExecutorService = Executors.newSingleThreadExecutor()
    private val scope = CoroutineScope(executor.asCoroutineDispatcher())
    @Volatile var sum: Long = 0

    /** [batch] awaits of a pending deferred that a task of the dispatcher's thread completes. */
    fun pending(batch: Int, values: Array<Int>, done: Runnable) {
        scope.launch {
            var s = 0L
            for (i in 0 until batch) {
                val d = CompletableDeferred<Int>()
                val v = values[i]
                executor.execute { d.complete(v) } // runs once the coroutine has suspended below
                s += d.await()
            }
            sum += s
            done.run()
        }
    }

    /** [n] awaits of an already completed deferred in one coroutine (it does not suspend). */
    fun resolved(n: Int, done: Runnable) {
        scope.launch {
            val one = CompletableDeferred(1)
            var s = 0L
            for (i in 0 until n) {
                s += one.await()
            }
            sum += s
            done.run()
        }
    }

    fun close() {
        executor.shutdownNow()
    }
}
