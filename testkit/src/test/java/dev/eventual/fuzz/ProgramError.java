package dev.eventual.fuzz;

/**
 * What a generated program rejects or throws with: JavaScript's {@code new Error(message)}.
 * No stack trace: the fuzzer makes many, and only the message is compared.
 */
final class ProgramError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ProgramError(String message) {
        super(message, null, false, false);
    }
}
