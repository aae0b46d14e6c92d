package dev.eventual.bench

import java.util.concurrent.CountDownLatch
import java.util.concurrent.Executors
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Job
import kotlinx.coroutines.asCoroutineDispatcher
import kotlinx.coroutines.cancelChildren
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch

/**
 * The Kotlin coroutines peer of [AwaitFootprint]: [n] coroutines launched in one scope on a
 * single-thread dispatcher (a scheduled executor, as kotlinx's own `newSingleThreadContext`
 * builds it, so that `delay` is a task of that executor), each started undispatched so that it
 * runs at once until its first suspension, as an Eventual async body runs until its first await.
 * [awaitingDeferred]: each is suspended in `await` of one shared pending [CompletableDeferred];
 * [inDelay]: each in its own `delay` of an hour. Each returns once all [n] are suspended; [close]
 * releases them and returns once all have ended.
 */
class KotlinFootprint private constructor(private val n: Int, delayed: Boolean) : AutoCloseable {
    private val executor = Executors.newSingleThreadScheduledExecutor()
    private val job = Job()
    private val scope = CoroutineScope(executor.asCoroutineDispatcher() + job)
    private val never = CompletableDeferred<Unit>()
    private val ended = CountDownLatch(n)

    init {
        val suspended = CountDownLatch(1)
        scope.launch {
            repeat(n) {
                launch(start = CoroutineStart.UNDISPATCHED) {
                    try {
                        if (delayed) delay(3_600_000) else never.await()
                    } finally {
                        ended.countDown()
                    }
                }
            }
            suspended.countDown()
        }
        suspended.await()
    }

    override fun close() {
        never.complete(Unit)
        job.cancelChildren()
        ended.await()
        executor.shutdown()
    }

    companion object {
        /** [n] coroutines suspended in `await` of one shared pending deferred. */
        @JvmStatic
        fun awaitingDeferred(n: Int): AutoCloseable = KotlinFootprint(n, false)

        /** [n] coroutines suspended in their own `delay` of an hour. */
        @JvmStatic
        fun inDelay(n: Int): AutoCloseable = KotlinFootprint(n, true)
    }
}
