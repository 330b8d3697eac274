import logging

# The last warning or error allauth and Django logged, for /done.
last_error = []


class LastErrorHandler(logging.Handler):
    def emit(self, record):
        message = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            exc = record.exc_info[1]
            message = f"{message}: {type(exc).__name__}: {exc}"
        last_error[:] = [message]

