namespace NenkinBatch.Matching;

/// <summary>
/// One deciding thread's scratch space: the candidates found, and a mark per person so that someone two keys find
/// is taken once without sorting (the matcher orders candidates by score and 宛名番号 itself).
/// </summary>
public sealed class CandidateBuffer
{
    private int[] _seen = [];
    private int _stamp;

    public List<int> Found { get; } = new(256);

    internal void Start(int people)
    {
        Found.Clear();
        if (_seen.Length < people) (_seen, _stamp) = (new int[people], 0);
        if (++_stamp == int.MaxValue) (_seen, _stamp) = (new int[_seen.Length], 1);
    }

    internal void Add(int person)
    {
        if (_seen[person] == _stamp) return;
        _seen[person] = _stamp;
        Found.Add(person);
    }
}
