package dev.sluice.attribute;

import java.util.List;

/** What a client sends to create or replace an attribute definition. */
public record AttributeInput(
        String code,
        String label,
        String type,
        Boolean required,
        List<String> options,
        Boolean filterable,
        Boolean searchable) {}
