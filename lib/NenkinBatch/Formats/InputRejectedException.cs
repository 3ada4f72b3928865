namespace NenkinBatch.Formats;

/// <summary>The file as a whole cannot be taken (wrong encoding, wrong layout, truncated): nothing from it is stored.</summary>
public sealed class InputRejectedException(string file, string reason, string whatToDo)
    : Exception($"{file}: {reason} {whatToDo}")
{
    public string File { get; } = file;
    public string Reason { get; } = reason;
    public string WhatToDo { get; } = whatToDo;
}
