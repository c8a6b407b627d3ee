/// An error whose description tells a person what went wrong and what to do, in one line:
/// every layer's error type conforms, so the command line prints them all the same way.
public protocol ReverieError: Error, CustomStringConvertible {}
