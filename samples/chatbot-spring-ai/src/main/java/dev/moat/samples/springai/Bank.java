package dev.moat.samples.springai;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A toy bank account with an address book of known payees. */
public final class Bank {
    /** Payees the user has saved before: the only IBANs the assistant may pay. */
    static final Map<String, String> PAYEES = Map.of(
            "DE02120300000000202051", "Northwind Energy",
            "DE89370400440532013000", "City Rent GmbH");

    public record Transfer(String iban, String payee, long amountCents, String reference) {}

    private final List<Transfer> ledger = new ArrayList<>();

    synchronized Transfer transfer(String iban, long amountCents, String reference) {
        if (amountCents <= 0) {
            throw new IllegalArgumentException("amount must be positive");
        }
        Transfer t = new Transfer(iban, PAYEES.getOrDefault(iban, "unknown payee"), amountCents, reference);
        ledger.add(t);
        return t;
    }

    public synchronized List<Transfer> ledger() {
        return List.copyOf(ledger);
    }
}
