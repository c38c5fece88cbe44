package org.viewsync.intake;

/** A webhook delivery without a valid signature, while the hook has a secret: answered 401, never stored. */
public class UnsignedDeliveryException extends RuntimeException {

    public UnsignedDeliveryException(String message) {
        super(message);
    }
}
