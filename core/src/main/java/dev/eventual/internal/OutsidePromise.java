package dev.eventual.internal;

/**
 * A plain promise that its loop returned to a caller on another thread ({@code submit} called off
 * the loop): its rejection counts as unhandled only if still unhandled when it becomes
 * unreachable or the loop closes. See {@link PromiseImpl#heldOutside} and {@link OutsideRejections}.
 */
final class OutsidePromise<T> extends PromiseImpl<T> {
    OutsidePromise(EventLoopImpl loop) {
        super(loop);
    }

    @Override
    boolean heldOutside() {
        return true;
    }
}
